import Foundation

/// Unique names for the libvirt objects a test makes, all under one prefix so leftovers are findable.
public enum TestNames {
    /// Every object the tests make starts with this.
    public static let prefix = "vnt-"

    /// A fresh name like `vnt-net-3f9a2c`, short enough for a bridge name derived from it.
    public static func unique(_ kind: String) -> String {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(6)
        return "\(prefix)\(kind)-\(suffix)"
    }
}
