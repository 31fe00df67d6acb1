import Foundation

/// Host names for DHCP reservations and DNS entries, made from VM names.
enum DNSNames {
    /// The VM's name as a DNS label: letters, digits and '-', at most 63 characters.
    static func hostname(for vm: String) -> String {
        let label = String(vm.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }.prefix(63))
        let trimmed = label.trimmingCharacters(in: ["-"])
        return trimmed.isEmpty ? "vm" : trimmed
    }
}
