import CLibNL
import Glibc

extension HostLink {
    /// What sort of device a link is.
    ///
    /// `tun` covers tap devices too: the kernel reports both with the link kind "tun".
    public enum Kind: String, Sendable, Equatable, Hashable, Codable {
        case bridge, veth, loopback, wireless, tun, macvtap, vlan, bond, dummy, ethernet, other

        /// Classifies a link by its kernel link kind, its ARP hardware type and, for Ethernet
        /// devices without a link kind, whether sysfs shows it as wireless.
        ///
        /// The sysfs lookup reads the `/sys` mounted in the calling process, which shows the
        /// network namespace it was mounted in (`ip netns exec` remounts it).
        init(kernelKind: String?, arpType: Int32, name: String) {
            if let kernelKind {
                self = Kind(rawValue: kernelKind).flatMap { $0.isKernelKind ? $0 : nil } ?? .other
            } else if arpType == ARPHRD_LOOPBACK {
                self = .loopback
            } else if arpType == ARPHRD_ETHER {
                self = Self.isWireless(name) ? .wireless : .ethernet
            } else {
                self = .other
            }
        }

        /// Whether the kernel names this kind in `IFLA_INFO_KIND`.
        private var isKernelKind: Bool {
            switch self {
            case .bridge, .veth, .tun, .macvtap, .vlan, .bond, .dummy: true
            case .loopback, .wireless, .ethernet, .other: false
            }
        }

        private static func isWireless(_ name: String) -> Bool {
            guard !name.isEmpty, !name.contains("/") else { return false }
            return ["wireless", "phy80211"].contains { access("/sys/class/net/\(name)/\($0)", F_OK) == 0 }
        }
    }
}
