import Testing
import VNetCore

/// The bounds a topology's YAML must keep before Yams reads it: few aliases, none as keys, no
/// complex keys, one document, libyaml's nesting limit; and the YAML a lab needs still reads.
struct YAMLBoundsTests {
    static func laughs(levels: Int, width: Int, key: Bool) -> String {
        var lines = ["x0: &a0 [v, v, v]"]
        for level in 1...levels {
            lines.append("x\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: width).joined(separator: ", ") + "]")
        }
        lines.append(key ? "k: { *a\(levels) : 1 }" : "networks: []")
        return lines.joined(separator: "\n")
    }

    @Test(arguments: [
        (laughs(levels: 8, width: 10, key: false), "lab.yaml:8: more than 64 YAML aliases (*name); write the values out instead"),
        (laughs(levels: 2, width: 3, key: true), "lab.yaml:4: YAML alias *a2 used as a mapping key; keys are plain names"),
        ("a: &a [1]\nk:\n  *a : 1\n", "lab.yaml:3: YAML alias *a used as a mapping key; keys are plain names"),
        ("a: &a [1]\nk: { ? [*a, *a] : 1 }\n", "lab.yaml:2: explicit YAML keys ('? ') are not supported; keys are plain names"),
        ("? a\n: 1\n", "lab.yaml:1: explicit YAML keys ('? ') are not supported; keys are plain names"),
        ("k: { [1, 2]: 1 }\n", "lab.yaml:1: a YAML list or mapping used as a mapping key; keys are plain names"),
        ("networks: []\n---\nvms: []\n", "lab.yaml:2: a second YAML document ('---'); a topology file holds one document"),
        ("---\nnetworks: []\n--- \nvms: []\n", "lab.yaml:3: a second YAML document ('---'); a topology file holds one document"),
    ])
    func refused(text: String, message: String) {
        #expect(throws: VNetError.invalidInput(message)) { try TopologyParser.parse(text, source: "lab.yaml") }
    }

    @Test func nestingPastLibyamlsLimitIsRefused() {
        let text = "networks: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect { try TopologyParser.parse(text, source: "lab.yaml") } throws: { error in
            (error as? VNetError)?.message.contains("Maximum nesting level") == true
        }
    }

    @Test(arguments: [
        // '*', '?', '&', '---' and brackets inside quotes, comments and block scalars are text.
        "# *a: 1 and ? b\nnetworks: [{ name: \"n*: x\", model: 'isolated', subnet: auto }] # [x]: y\n",
        "name: 'it''s *a: [1]: ? x'\nnetworks: []\n",
        "name: |\n  ? *a : [x]: 1\n  ---\nnetworks: []\n",
        // One leading document marker and a directive are fine.
        "%YAML 1.1\n---\nnetworks: []\n",
    ])
    func passesTheBounds(text: String) {
        // Parsing may still refuse a value (a name with '*'), but not for the bounds.
        do {
            _ = try TopologyParser.parse(text, source: "lab.yaml")
        } catch {
            for phrase in ["YAML aliases", "mapping key", "explicit YAML keys", "second YAML document"] {
                #expect(!error.message.contains(phrase), "\(error.message)")
            }
        }
    }

    @Test func aliasesAsValuesShareSettingsTheWayALabDoes() throws {
        let text = """
            networks: [{ name: n, model: isolated, subnet: auto }]
            vms:
              - { name: v1, set: &qemu { virtType: qemu }, nics: &nics [{ network: n }] }
              - { name: v2, set: *qemu, nics: *nics }
            """
        let topology = try TopologyParser.parse(text, source: "lab.yaml")
        #expect(topology.vms.map(\.spec.name) == ["v1", "v2"])
        var second = try #require(topology.vms.last).spec
        second.name = "v1"
        #expect(second == topology.vms.first?.spec)
    }
}
