import Glibc

extension HostAddress {
    /// The IP version of an address or route.
    public enum Family: String, Sendable, Equatable, Hashable, Codable {
        case ipv4
        case ipv6

        /// Maps an `AF_*` value, `nil` for anything that is not IP.
        init?(addressFamily: Int32) {
            switch addressFamily {
            case AF_INET: self = .ipv4
            case AF_INET6: self = .ipv6
            default: return nil
            }
        }

        var addressFamily: Int32 {
            switch self {
            case .ipv4: AF_INET
            case .ipv6: AF_INET6
            }
        }
    }
}
