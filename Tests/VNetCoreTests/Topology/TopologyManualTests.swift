import Foundation
import Testing
@testable import VNetCore

/// vnetctl-topology(5) documents every key the topology parser accepts, so the manual cannot
/// fall behind the parser.
struct TopologyManualTests {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/man/vnetctl-topology.5")

    @Test(arguments: [
        ("top level", TopologyParser.topKeys), ("networks[]", TopologyParser.networkKeys), ("dhcp", TopologyParser.dhcpKeys),
        ("dhcp.hosts[]", TopologyParser.hostKeys), ("vms[]", TopologyParser.vmKeys), ("nics[]", TopologyParser.nicKeys),
    ])
    func everyKeyIsInTheManual(level: String, keys: [String]) throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        let documented = Set(text.split(separator: "\n").compactMap { line -> String? in
            // `.It Cm KEY` and `.Cm KEY`: the word after the Cm macro.
            let words = line.split(separator: " ").map(String.init)
            guard let cm = words.firstIndex(where: { $0 == "Cm" || $0 == ".Cm" }), cm <= 1, cm + 1 < words.count else {
                return nil
            }
            return words[cm + 1]
        })
        for key in keys {
            #expect(documented.contains(key), "\(level) key '\(key)' is not in vnetctl-topology(5)")
        }
    }
}
