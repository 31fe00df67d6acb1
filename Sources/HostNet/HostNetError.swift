import CLibNL

/// A failure to read the host's network configuration.
public struct HostNetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed and why, in one line; for netlink failures the reason is libnl's `nl_geterror` text.
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension HostNetError {
    /// Describes a failed libnl call; `code` is libnl's return value (a negative `NLE_*`).
    init(_ operation: String, libnlCode code: Int32) {
        self.init(message: "\(operation): \(String(cString: nl_geterror(code)))")
    }
}
