import Testing
@testable import VNetCore

/// `TopologyParser.parse(_:source:)` on text: YAML and JSON read alike, and every refusal names the
/// file, the line and the field. No daemon, no host state.
struct TopologyParserTests {
    static let source = "lab.yaml"

    static let goodYAML = """
        name: lab
        networks:
          - name: t-nat
            model: nat
            subnet: 10.123.10.0/24
            dhcp:
              range: 10.123.10.100-10.123.10.200
              hosts:
                - { mac: "52:54:00:7b:0a:01", ip: 10.123.10.5, hostname: printer }
            autostart: true
            mtu: 1400
          - name: t-iso
            model: isolated
            subnet: auto
            start: false
          - name: t-lan
            model: bridged
            bridge: br-lab
        vms:
          - name: web1
            template: pxe
            memory: 256MiB
            vcpus: 2
            set: { virtType: qemu }
            start: false
            nics:
              - { network: t-nat, ip: 10.123.10.11, mac: "52:54:00:7b:0a:11" }
              - { network: t-iso }
          - name: db
            memory: 1GiB
            nics:
              - network: t-lan
        """

    static let goodJSON = """
        {"name": "lab",
         "networks": [
          {"name": "t-nat", "model": "nat", "subnet": "10.123.10.0/24",
           "dhcp": {"range": "10.123.10.100-10.123.10.200",
                    "hosts": [{"mac": "52:54:00:7b:0a:01", "ip": "10.123.10.5", "hostname": "printer"}]},
           "autostart": true, "mtu": 1400},
          {"name": "t-iso", "model": "isolated", "subnet": "auto", "start": false},
          {"name": "t-lan", "model": "bridged", "bridge": "br-lab"}],
         "vms": [
          {"name": "web1", "template": "pxe", "memory": "256MiB", "vcpus": 2, "set": {"virtType": "qemu"}, "start": false,
           "nics": [{"network": "t-nat", "ip": "10.123.10.11", "mac": "52:54:00:7b:0a:11"}, {"network": "t-iso"}]},
          {"name": "db", "memory": "1GiB", "nics": [{"network": "t-lan"}]}]}
        """

    /// The topology without where its parts stand in the file (YAML and JSON lay them out differently).
    static func withoutLines(_ topology: Topology) -> Topology {
        var topology = topology
        for index in topology.networks.indices { topology.networks[index].line = 0 }
        for index in topology.vms.indices { topology.vms[index].line = 0 }
        return topology
    }

    static func error(_ text: String, source: String = source) -> VNetError? {
        do {
            _ = try TopologyParser.parse(text, source: source)
            return nil
        } catch {
            return error
        }
    }

    @Test func yamlAndJSONGiveTheSameTopology() throws {
        let yaml = try TopologyParser.parse(Self.goodYAML, source: Self.source)
        let json = try TopologyParser.parse(Self.goodJSON, source: Self.source)
        #expect(Self.withoutLines(yaml) == Self.withoutLines(json))

        #expect(yaml.name == "lab")
        #expect(yaml.networks.map(\.spec.name) == ["t-nat", "t-iso", "t-lan"])
        #expect(yaml.networks.map(\.line) == [3, 12, 16])
        #expect(yaml.vms.map(\.line) == [20, 29])
        let nat = try #require(yaml.networks.first)
        #expect(nat.spec.model == .nat)
        #expect(nat.spec.subnet == .explicit(try IPv4CIDR("10.123.10.0/24")))
        #expect(nat.spec.dhcpRange == (try IPv4Range("10.123.10.100-10.123.10.200")))
        #expect(nat.spec.reservations.map(\.ip) == [try IPv4Address("10.123.10.5")])
        #expect(nat.spec.reservations.map(\.hostname) == ["printer"])
        #expect(nat.spec.mtu == 1400)
        #expect(nat.autostart && nat.start)
        #expect(nat.spec.topology == "lab")
        #expect(yaml.networks[1].spec.subnet == .auto())
        #expect(!yaml.networks[1].start && !yaml.networks[1].autostart)
        #expect(yaml.networks[2].spec.bridge == "br-lab")
        let web1 = try #require(yaml.vms.first)
        #expect(web1.spec.memoryMiB == 256 && web1.spec.vcpus == 2 && web1.spec.template == "pxe")
        #expect(web1.spec.settings == ["virtType": "qemu"])
        #expect(!web1.start)
        #expect(web1.spec.nics == [
            VMSpec.NIC(network: "t-nat", ip: try IPv4Address("10.123.10.11"), mac: try MACAddress("52:54:00:7b:0a:11")),
            VMSpec.NIC(network: "t-iso"),
        ])
        #expect(yaml.vms[1].spec.memoryMiB == 1024 && yaml.vms[1].start)
    }

    @Test func nameDefaultsToTheFilesBaseName() throws {
        let topology = try TopologyParser.parse(
            "networks:\n  - { name: n1, model: isolated }\n", source: "/tmp/some dir/my lab.v2.yaml")
        #expect(topology.name == "my-lab")
        #expect(topology.source == "/tmp/some dir/my lab.v2.yaml")
    }

    @Test(arguments: ["256MiB", "256", "256M"])
    func memoryAsTextOrNumber(memory: String) throws {
        let text = "vms:\n  - name: a\n    memory: \(memory)\n    nics: [{ network: n }]\n"
        let topology = try TopologyParser.parse(text, source: Self.source)
        #expect(topology.vms.first?.spec.memoryMiB == 256)
        let json = #"{"vms": [{"name": "a", "memory": \#(memory.allSatisfy(\.isNumber) ? memory : "\"\(memory)\""), "nics": [{"network": "n"}]}]}"#
        #expect(try TopologyParser.parse(json, source: "lab.json").vms.first?.spec.memoryMiB == 256)
    }

    /// A bad file, and the parts its one-line message must contain: `file:line:`, the field path, the reason.
    struct BadFile: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        var expected: [String]
        var testDescription: String { label }
    }

    static let badFiles: [BadFile] = [
        BadFile(
            label: "unknown key with did-you-mean",
            text: "networks:\n  - name: n1\n    model: nat\n    subnett: 10.123.1.0/24\n",
            expected: ["lab.yaml:4:", "networks[0].subnett", "unknown key", "did you mean 'subnet'?"]),
        BadFile(
            label: "unknown top-level key",
            text: "networks: []\nvm:\n  - name: a\n",
            expected: ["lab.yaml:2:", "vm: unknown key", "did you mean 'vms'?"]),
        BadFile(
            label: "mtu not a number",
            text: "networks:\n  - name: n1\n    model: nat\n    mtu: big\n",
            expected: ["lab.yaml:4:", "networks[0].mtu", "whole number", "'big'"]),
        BadFile(
            label: "autostart not a bool",
            text: "networks:\n  - name: n1\n    model: nat\n    autostart: maybe\n",
            expected: ["lab.yaml:4:", "networks[0].autostart", "true or false", "'maybe'"]),
        BadFile(
            label: "nics not a list",
            text: "vms:\n  - name: a\n    nics: n1\n",
            expected: ["lab.yaml:3:", "vms[0].nics", "expected a list"]),
        BadFile(
            label: "networks not a list",
            text: "networks:\n  name: n1\n",
            expected: ["lab.yaml:2:", "networks", "expected a list"]),
        BadFile(
            label: "network without name",
            text: "networks:\n  - name: n0\n    model: nat\n  - model: nat\n    subnet: 10.123.1.0/24\n",
            expected: ["lab.yaml:4:", "networks[1]", "needs a name"]),
        BadFile(
            label: "network without model",
            text: "networks:\n  - name: n1\n    subnet: 10.123.1.0/24\n",
            expected: ["lab.yaml:2:", "networks[0]", "'n1' needs a model"]),
        BadFile(
            label: "VM without name",
            text: "vms:\n  - memory: 256\n    nics: [{ network: n }]\n",
            expected: ["lab.yaml:2:", "vms[0]", "needs a name"]),
        BadFile(
            label: "VM without nics",
            text: "vms:\n  - name: a\n    memory: 256MiB\n",
            expected: ["lab.yaml:2:", "vms[0]", "'a' needs at least one NIC"]),
        BadFile(
            label: "NIC without network",
            text: "vms:\n  - name: a\n    nics:\n      - { ip: 10.123.1.5 }\n",
            expected: ["lab.yaml:4:", "vms[0].nics[0]", "needs a network"]),
        BadFile(
            label: "bad CIDR",
            text: "networks:\n  - name: n1\n    model: nat\n    subnet: 10.123.1.0/33\n",
            expected: ["lab.yaml:4:", "networks[0].subnet", "10.123.1.0/33"]),
        BadFile(
            label: "bad NIC IP",
            text: "vms:\n  - name: a\n    nics:\n      - network: n\n        ip: 10.123.1.300\n",
            expected: ["lab.yaml:5:", "vms[0].nics[0].ip", "10.123.1.300"]),
        BadFile(
            label: "bad NIC MAC",
            text: "vms:\n  - name: a\n    nics:\n      - network: n\n        mac: 52:54:00:zz:00:01\n",
            expected: ["lab.yaml:5:", "vms[0].nics[0].mac", "52:54:00:zz:00:01"]),
        BadFile(
            label: "bad reservation MAC",
            text: "networks:\n  - name: n1\n    model: nat\n    dhcp:\n      hosts:\n        - { mac: \"52:54:00:01\", ip: 10.123.1.5 }\n",
            expected: ["lab.yaml:6:", "networks[0].dhcp.hosts[0].mac", "52:54:00:01"]),
        BadFile(
            label: "reservation without ip",
            text: "networks:\n  - name: n1\n    model: nat\n    dhcp:\n      hosts:\n        - { mac: \"52:54:00:00:00:01\" }\n",
            expected: ["lab.yaml:6:", "networks[0].dhcp.hosts[0]", "needs mac and ip"]),
        BadFile(
            label: "bad range",
            text: "networks:\n  - name: n1\n    model: nat\n    dhcp:\n      range: 10.123.1.200-10.123.1.100\n",
            expected: ["lab.yaml:5:", "networks[0].dhcp.range", "10.123.1.200"]),
        BadFile(
            label: "bad model",
            text: "networks:\n  - name: n1\n    model: natted\n",
            expected: ["lab.yaml:3:", "networks[0].model", "unknown model 'natted'", "isolated"]),
        BadFile(
            label: "memory not a size",
            text: "vms:\n  - name: a\n    memory: lots\n    nics: [{ network: n }]\n",
            expected: ["lab.yaml:3:", "vms[0].memory", "'lots'"]),
        BadFile(
            label: "create_bridge without bridge",
            text: "networks:\n  - name: n1\n    model: bridged\n    uplink: eth0\n    create_bridge: true\n",
            expected: ["lab.yaml:5:", "networks[0].create_bridge", "needs model: bridged and bridge: BR"]),
        BadFile(
            label: "create_bridge on a nat network",
            text: "networks:\n  - name: n1\n    model: nat\n    bridge: br9\n    create_bridge: true\n",
            expected: ["lab.yaml:5:", "networks[0].create_bridge", "model: bridged"]),
    ]

    /// The parser's resolver tags booleans and nulls as YAML 1.1 does (Yams's default rules for
    /// both), and numbers are read from the text: every spelling reads as it did.
    @Test(arguments: [
        ("true", true), ("True", true), ("yes", true), ("on", true), ("ON", true),
        ("false", false), ("No", false), ("off", false), ("FALSE", false),
    ])
    func booleansInEverySpelling(text: String, value: Bool) throws {
        let topology = try TopologyParser.parse(
            "networks:\n  - { name: n, model: isolated, subnet: auto, start: \(text) }\n", source: Self.source)
        #expect(topology.networks[0].start == value)
    }

    @Test func aQuotedBooleanIsText() {
        #expect(throws: VNetError.self) {
            try TopologyParser.parse("networks:\n  - { name: n, model: isolated, subnet: auto, start: 'true' }\n", source: Self.source)
        }
    }

    @Test(arguments: ["~", "null", "Null", "NULL", ""])
    func aNullListIsEmpty(text: String) throws {
        let topology = try TopologyParser.parse(
            "networks:\n  - { name: n, model: isolated, subnet: auto }\nvms: \(text)\n", source: Self.source)
        #expect(topology.vms.isEmpty && topology.networks.count == 1)
    }

    @Test func aQuotedNullIsText() {
        #expect(throws: VNetError.self) {
            try TopologyParser.parse("networks:\n  - { name: n, model: isolated, subnet: auto }\nvms: '~'\n", source: Self.source)
        }
        #expect(throws: Never.self) { try TopologyParser.parse(#"{"networks": [{"name": "n", "model": "isolated"}], "vms": null}"#, source: "t.json") }
    }

    @Test(arguments: ["1400", "1_400", "0x578", "+1400"])
    func numbersInEverySpelling(text: String) throws {
        let topology = try TopologyParser.parse(
            "networks:\n  - { name: n, model: isolated, subnet: auto, mtu: \(text) }\n", source: Self.source)
        #expect(topology.networks[0].spec.mtu == 1400)
    }

    @Test func createBridgeTakesTheUplinkAsTheBridgesPort() throws {
        let text = "networks:\n  - name: n1\n    model: bridged\n    bridge: br9\n    uplink: eth9\n    create_bridge: true\n"
        let entry = try #require(try TopologyParser.parse(text, source: Self.source).networks.first)
        #expect(entry.createBridge)
        #expect(entry.bridgeUplink == "eth9")
        #expect(entry.spec.uplink == nil)
        #expect(entry.spec.bridge == "br9")
    }

    @Test(arguments: badFiles)
    func badFileNamesFileLineAndField(_ bad: BadFile) {
        let error = Self.error(bad.text)
        #expect(error?.kind == .invalidInput)
        let message = error?.message ?? "(parsed without error)"
        for part in bad.expected {
            #expect(message.contains(part), "\(bad.label): '\(part)' missing from: \(message)")
        }
        #expect(!message.contains("\n"))
    }

    @Test func yamlSyntaxErrorNamesFileAndLine() {
        let text = "networks:\n  - name: n1\n    model: nat\n    subnet: [10.123.1.0/24\n  - name: n2\n"
        let error = Self.error(text)
        #expect(error?.kind == .invalidInput)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("lab.yaml:"), "\(message)")
        #expect(message.contains("YAML syntax error"), "\(message)")
        // The error is detected at line 5 (the unclosed flow sequence started on line 4).
        #expect(["lab.yaml:4:", "lab.yaml:5:"].contains { message.hasPrefix($0) }, "\(message)")
    }

    /// Errors name the file as `FILE:LINE:` everywhere, so editors and CI can jump to them.
    @Test func yamlSyntaxErrorUsesFileColonLine() {
        let message = Self.error("networks:\n  - name: n1\n  bad: [\n")?.message ?? ""
        #expect(message.range(of: #"^lab\.yaml:[0-9]+: "#, options: .regularExpression) != nil, "\(message)")
    }

    @Test(arguments: [("network", "networks:\n  - name: n1\n    model: nat\n  - name: n2\n    model: nat\n  - name: n1\n    model: routed\n", 2, 6),
                      ("VM", "vms:\n  - name: a\n    nics: [{ network: n }]\n  - name: a\n    nics: [{ network: n }]\n", 2, 4)])
    func duplicateNamesNameBothLines(kind: String, text: String, first: Int, second: Int) {
        let error = Self.error(text)
        #expect(error?.kind == .invalidInput)
        let message = error?.message ?? ""
        #expect(message.contains("lab.yaml:\(second):"), "\(message)")
        #expect(message.contains("line \(first)"), "\(message)")
        #expect(message.contains("\(kind) '\(text.contains("n1") ? "n1" : "a")'"), "\(message)")
    }

    @Test func duplicateNamesNameTheField() {
        let message = Self.error("networks:\n  - name: n1\n    model: nat\n  - name: n1\n    model: nat\n")?.message ?? ""
        #expect(message.contains("networks[1].name"), "\(message)")
    }

    @Test func twoVMsReservingOneIPOnOneNetwork() {
        let text = """
            vms:
              - name: a
                nics: [{ network: n1, ip: 10.123.1.5 }]
              - name: b
                nics:
                  - { network: n2, ip: 10.123.1.5 }
                  - { network: n1, ip: 10.123.1.5 }
            """
        let error = Self.error(text)
        #expect(error?.kind == .invalidInput)
        let message = error?.message ?? ""
        #expect(message.contains("lab.yaml:4:"), "\(message)")
        #expect(message.contains("VM 'b'") && message.contains("VM 'a'"), "\(message)")
        #expect(message.contains("10.123.1.5") && message.contains("n1"), "\(message)")
    }

    @Test func oneIPOnTwoNetworksIsFine() throws {
        let text = "vms:\n  - name: a\n    nics: [{ network: n1, ip: 10.123.1.5 }]\n  - name: b\n    nics: [{ network: n2, ip: 10.123.1.5 }]\n"
        #expect(try TopologyParser.parse(text, source: Self.source).vms.count == 2)
    }

    @Test func oneVMReservingOneIPTwiceOnOneNetwork() {
        let text = "vms:\n  - name: a\n    nics:\n      - { network: n1, ip: 10.123.1.5 }\n      - { network: n1, ip: 10.123.1.5 }\n"
        #expect(Self.error(text)?.kind == .invalidInput)
    }

    @Test func keyGivenTwiceNamesFileLineAndField() {
        let error = Self.error("networks:\n  - name: n1\n    model: nat\n    model: routed\n")
        #expect(error?.kind == .invalidInput)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("lab.yaml:4: model: given twice"), "\(message)")
    }

    /// A network's own `dhcp.hosts` entry and a VM of the file reserving the same address on it.
    @Test func networkReservationAndVMReservingOneIP() {
        let text = """
            networks:
              - name: n1
                model: nat
                subnet: 10.123.1.0/24
                dhcp:
                  hosts:
                    - { mac: "52:54:00:00:00:01", ip: 10.123.1.5 }
            vms:
              - name: a
                nics: [{ network: n1, ip: 10.123.1.5 }]
            """
        let message = Self.error(text)?.message ?? ""
        #expect(message.contains("10.123.1.5") && message.contains("lab.yaml:"), "\(message)")
    }

    @Test func emptyFileIsRefused() {
        let message = Self.error("")?.message ?? ""
        #expect(message.hasPrefix("lab.yaml:") && message.contains("empty"), "\(message)")
    }
}
