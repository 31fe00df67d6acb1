import Testing
import VNetCore

/// `--network` text and topology `nics:` entries read into NIC specs: vnetctl's syntax, virt-install's
/// and YAML describe the same NIC alike, and every bad spec is refused with one line. No daemon.
struct NICSpecTests {
    typealias NIC = VMSpec.NIC

    static let mac = try! MACAddress("52:54:00:12:34:56")

    /// Each row: spellings that must all read as the one NIC.
    static let equivalents: [([String], String, NIC)] = [
        (["lab", "network=lab", "type=network,source=lab"], "{network: lab}", NIC(.network("lab"))),
        (["lab,ip=10.123.5.9,mac=52:54:00:12:34:56", "network=lab,mac.address=52:54:00:12:34:56,ip=10.123.5.9"],
         "{network: lab, ip: 10.123.5.9, mac: '52:54:00:12:34:56'}",
         NIC(.network("lab"), ip: try! IPv4Address("10.123.5.9"), mac: mac)),
        (["lab,model=e1000e", "network=lab,model.type=e1000e"], "{network: lab, model: e1000e}",
         NIC(.network("lab"), model: "e1000e")),
        (["bridge=br0", "type=bridge,source=br0"], "{bridge: br0}", NIC(.bridge("br0"))),
        (["bridge=br0,model=rtl8139,mac=52:54:00:12:34:56"], "{bridge: br0, model: rtl8139, mac: '52:54:00:12:34:56'}",
         NIC(.bridge("br0"), model: "rtl8139", mac: mac)),
        (["type=direct,source=eth0", "type=direct,source=eth0,source_mode=bridge", "type=direct,source=eth0,source.mode=bridge"],
         "{direct: eth0}", NIC(.direct(device: "eth0", mode: .bridge))),
        (["type=direct,source=eth0,source_mode=vepa"], "{direct: eth0, mode: vepa}", NIC(.direct(device: "eth0", mode: .vepa))),
        (["type=direct,source=eth0,source_mode=private"], "{direct: eth0, mode: private}",
         NIC(.direct(device: "eth0", mode: .private))),
        (["type=direct,source=eth0,source_mode=passthrough"], "{direct: eth0, mode: passthrough}",
         NIC(.direct(device: "eth0", mode: .passthrough))),
        (["user", "type=user", "user,backend=slirp"], "{user: true}", NIC(.user(subnet: nil))),
        (["user,net=10.0.3.0/24,model=e1000"], "{user: true, net: 10.0.3.0/24, model: e1000}",
         NIC(.user(subnet: try! IPv4CIDR("10.0.3.0/24")), model: "e1000")),
    ]

    @Test(arguments: equivalents)
    func everySyntaxReadsAsTheSameNIC(spellings: [String], yaml: String, expected: NIC) throws {
        for text in spellings {
            #expect(try NIC(text) == expected, "--network \(text)")
        }
        let topology = try TopologyParser.parse("vms:\n  - name: v\n    nics: [\(yaml)]\n", source: "t.yaml")
        #expect(topology.vms.first?.spec.nics == [expected], "nics: [\(yaml)]")
    }

    /// Each row: a bad `--network` and a word the one-line message must hold.
    static let badOptions: [(String, String)] = [
        ("", "NET"),
        ("lab,", "KEY=VALUE"),
        ("type=direct", "source=DEV"),
        ("type=direct,source=eth0,source_mode=vepx", "did you mean 'vepa'"),
        ("type=direct,source=eth0,mode=vepa", "did you mean"),
        ("user,backend=passt", "passt"),
        ("user,backend=tap", "SLIRP"),
        ("user,ip=10.0.2.15", "drop ip"),
        ("bridge=br0,ip=10.123.5.9", "drop ip"),
        ("network=lab,bridge=br0", "two kinds"),
        ("type=bridge,network=lab", "two kinds"),
        ("network=lab,source=other", "both name"),
        ("lab,model=e1000x", "did you mean 'e1000'"),
        ("lab,mdel=e1000", "did you mean 'model'"),
        ("type=tap", "not a NIC kind"),
        ("type=bridg,source=br0", "did you mean 'bridge'"),
        ("lab,mac=zz", "MAC"),
        ("lab,mac=52:54:00:00:00:01,mac=52:54:00:00:00:02", "twice"),
        ("lab,ip=10.123.5.1,ip=10.123.5.2", "twice"),
        ("user,net=10.0.3.0/31", "/30"),
        ("user,net=10.0.3.1/24", "network address"),
        ("type=direct,source=eth0,net=10.0.3.0/24", "user mode only"),
        ("lab,source_mode=vepa", "direct"),
        ("lab,ip=", "no value"),
        ("bridge=waytoolongbridgename0", "15"),
        ("bridge=br/0", "not allowed"),
        ("user,source=eth0", "no source"),
        ("lab,backend=slirp", "user mode only"),
    ]

    @Test(arguments: badOptions)
    func aBadOptionIsRefusedInOneLine(text: String, word: String) {
        do {
            let nic = try NIC(text)
            Issue.record("--network \(text) was accepted as \(nic)")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains(word), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
    }

    /// Each row: a bad `nics:` entry and a word the message (with file and line) must hold.
    static let badEntries: [(String, String)] = [
        ("{}", "needs a network"),
        ("{network: a, bridge: b}", "one kind"),
        ("{user: false}", "user: false"),
        ("{user: yes please}", "true or false"),
        ("{direct: eth0, mode: vepx}", "did you mean 'vepa'"),
        ("{bridge: br0, ip: 10.123.5.9}", "drop ip"),
        ("{user: true, backend: passt}", "passt"),
        ("{network: a, mdoe: vepa}", "did you mean 'mode'"),
        ("{netwrk: a}", "did you mean 'network'"),
        ("{network: a, mode: vepa}", "direct"),
        ("{bridge: br0, model: e1000ee}", "did you mean 'e1000e'"),
    ]

    @Test(arguments: badEntries)
    func aBadEntryNamesFileLineAndField(yaml: String, word: String) {
        do {
            _ = try TopologyParser.parse("vms:\n  - name: v\n    nics:\n      - \(yaml)\n", source: "t.yaml")
            Issue.record("nics: [\(yaml)] was accepted")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.hasPrefix("t.yaml:4: vms[0].nics[0]") || error.message.hasPrefix("t.yaml:5: vms[0].nics[0]"), "\(error.message)")
            #expect(error.message.contains(word), "\(error.message)")
        }
    }
}
