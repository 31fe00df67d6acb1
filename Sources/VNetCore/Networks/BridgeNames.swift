/// Names for the bridges libvirt creates for vnetctl's networks.
enum BridgeNames {
    /// The kernel's limit on interface names (IFNAMSIZ less the terminator).
    static let maximumLength = 15
    static let prefix = "vn-"

    /// `vn-` and the network's name, shortened and numbered as needed to be unique among `taken`.
    static func generate(for network: String, avoiding taken: Set<String>) -> String {
        let cleaned = String(network.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
        let stem = prefix + cleaned.prefix(maximumLength - prefix.count)
        if !taken.contains(stem) { return stem }
        var number = 1
        while true {
            let suffix = "-\(number)"
            let candidate = prefix + cleaned.prefix(maximumLength - prefix.count - suffix.count) + suffix
            if !taken.contains(candidate) { return candidate }
            number += 1
        }
    }
}
