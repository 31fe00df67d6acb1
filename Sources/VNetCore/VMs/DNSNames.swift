import Foundation

/// Host names for DHCP reservations and DNS entries, made from VM names.
enum DNSNames {
    /// The VM's name as a DNS label: letters, digits and '-', at most 63 characters.
    static func hostname(for vm: String) -> String {
        let label = String(vm.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }.prefix(63))
        let trimmed = label.trimming { $0 == "-" }
        return trimmed.isEmpty ? "vm" : trimmed
    }

    /// Whether `name` is a host name vnetctl gives a NIC of `vm`: its DNS name, or `NAME-N` for
    /// further NICs on one network; case is ignored.
    static func isHostname(_ name: String, of vm: String) -> Bool {
        let base = hostname(for: vm).lowercased(), name = name.lowercased()
        if name == base { return true }
        let suffix = name.hasPrefix(base + "-") ? name.dropFirst(base.count + 1) : ""
        return !suffix.isEmpty && suffix.allSatisfy(\.isNumber)
    }
}
