import Testing
@testable import VNetCore

/// `hosts:` and `host:` in topology files: every network and VM lands on a host of the file, a
/// file without `hosts:` is the one implicit host, and each mistake names the file, line and field.
struct FleetParsingTests {
    static let fleetYAML = """
        name: fleet
        hosts:
          h1: { uri: "qemu:///system", address: 10.123.200.1 }
          h2: { uri: "qemu+tcp://10.123.200.2/system" }
        networks:
          - { name: lan, host: h1, model: nat, subnet: 10.123.40.0/24 }
          - { name: lan, host: h2, model: nat, subnet: 10.123.41.0/24 }
        vms:
          - { name: web1, host: h1, nics: [{ network: lan, ip: 10.123.40.11 }] }
          - { name: web1, host: h2, nics: [{ network: lan, ip: 10.123.41.11 }] }
          - { name: db, host: h2, nics: [{ network: lan }] }
        """

    static func parse(_ text: String) throws -> Topology {
        try TopologyParser.parse(text, source: "fleet.yaml")
    }

    static func error(_ text: String) -> VNetError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? VNetError
        }
    }

    @Test func hostsAndPlacementsAreRead() throws {
        let topology = try Self.parse(Self.fleetYAML)
        #expect(topology.isFleet)
        #expect(topology.hosts.map(\.name) == ["h1", "h2"])
        #expect(topology.hosts.map(\.uri) == ["qemu:///system", "qemu+tcp://10.123.200.2/system"])
        #expect(topology.hosts.map(\.address) == [try IPv4Address("10.123.200.1"), try IPv4Address("10.123.200.2")])
        #expect(topology.hosts.map(\.line) == [3, 4])
        #expect(topology.networks.map(\.host) == ["h1", "h2"])
        #expect(topology.vms.map(\.host) == ["h1", "h2", "h2"])
    }

    @Test func eachHostsPartHoldsItsObjectsAlone() throws {
        let topology = try Self.parse(Self.fleetYAML)
        let parts = topology.parts
        #expect(parts.map(\.host.name) == ["h1", "h2"])
        #expect(parts[0].topology.networks.map(\.spec.subnet) == [.explicit(try IPv4CIDR("10.123.40.0/24"))])
        #expect(parts[1].topology.vms.map(\.spec.name) == ["web1", "db"])
        #expect(parts[1].topology.hosts.map(\.name) == ["h2"])
        #expect(parts[1].topology.name == "fleet")
        // A VM's reserved address is recorded on its own host's network only.
        #expect(parts[0].topology.networks[0].spec.forwardVMs == ["web1": try IPv4Address("10.123.40.11")])
        #expect(parts[1].topology.networks[0].spec.forwardVMs == ["web1": try IPv4Address("10.123.41.11")])
    }

    @Test func aFileWithoutHostsIsTheImplicitHost() throws {
        let topology = try Self.parse("networks:\n  - { name: n1, model: nat }\nvms:\n  - { name: a, nics: [{ network: n1 }] }\n")
        #expect(!topology.isFleet)
        #expect(topology.hosts == [.implicit])
        #expect(topology.hosts[0].uri == nil)
        #expect(topology.networks[0].host == FleetHost.implicitName)
        #expect(topology.part(for: FleetHost.implicitName) == topology)
    }

    @Test func oneHostIsEveryEntrysDefault() throws {
        let topology = try Self.parse("hosts:\n  kvm1: { uri: \"qemu+ssh://root@kvm1/system\" }\nnetworks:\n  - { name: n1, model: nat }\n")
        #expect(topology.isFleet)
        #expect(topology.networks[0].host == "kvm1")
        #expect(topology.hosts[0].address == nil)
    }

    @Test(arguments: [
        ("qemu+tcp://10.123.200.2/system", "10.123.200.2"),
        ("qemu+ssh://root@10.1.2.3:2222/system?keyfile=/k", "10.1.2.3"),
        ("qemu+tls://kvm2.example.com/system", nil),
        ("qemu:///system", nil),
        ("qemu+ssh://[fd00::2]/system", nil),
    ] as [(String, String?)])
    func addressDefaultsToTheURIsLiteralHost(uri: String, address: String?) throws {
        #expect(FleetHost(name: "h", uri: uri).address == (try address.map { try IPv4Address($0) }))
    }

    struct BadFleet: CustomTestStringConvertible, Sendable {
        var label: String
        var text: String
        var expected: [String]
        var testDescription: String { label }
    }

    static let badFleets: [BadFleet] = [
        .init(label: "unknown host",
              text: "hosts:\n  h1: { uri: \"qemu:///system\" }\nnetworks:\n  - name: n1\n    model: nat\n    host: h9\n",
              expected: ["fleet.yaml:6:", "networks[0].host", "unknown host 'h9'", "h1"]),
        .init(label: "host without hosts",
              text: "vms:\n  - name: a\n    host: h1\n    nics: [{ network: n }]\n",
              expected: ["fleet.yaml:3:", "vms[0].host", "no hosts:"]),
        .init(label: "no host with two hosts",
              text: "hosts:\n  h1: { uri: \"qemu:///system\" }\n  h2: { uri: \"test:///default\" }\nvms:\n  - name: a\n    nics: [{ network: n }]\n",
              expected: ["fleet.yaml:5:", "vms[0]", "needs host:", "h1, h2"]),
        .init(label: "host without uri",
              text: "hosts:\n  h1: { address: 10.123.200.1 }\n",
              expected: ["fleet.yaml:2:", "hosts.h1", "needs uri:"]),
        .init(label: "unknown host key",
              text: "hosts:\n  h1: { url: \"qemu:///system\" }\n",
              expected: ["fleet.yaml:2:", "hosts.h1.url", "did you mean 'uri'"]),
        .init(label: "bad address",
              text: "hosts:\n  h1: { uri: \"qemu:///system\", address: 10.123.300.1 }\n",
              expected: ["fleet.yaml:2:", "hosts.h1.address"]),
        .init(label: "not a URI",
              text: "hosts:\n  h1: { uri: kvm1 }\n",
              expected: ["fleet.yaml:2:", "hosts.h1.uri", "not a libvirt URI"]),
        .init(label: "bad host name",
              text: "hosts:\n  \"h 1\": { uri: \"qemu:///system\" }\n",
              expected: ["fleet.yaml:2:", "hosts.h 1", "host name"]),
        .init(label: "hosts as a list",
              text: "hosts:\n  - h1\n",
              expected: ["fleet.yaml:2:", "hosts", "mapping"]),
        .init(label: "empty hosts",
              text: "hosts: {}\n",
              expected: ["fleet.yaml:1:", "names no host"]),
        .init(label: "one name twice on one host",
              text: "hosts:\n  h1: { uri: \"qemu:///system\" }\n  h2: { uri: \"test:///default\" }\nnetworks:\n  - { name: n, host: h1, model: nat }\n  - { name: n, host: h1, model: nat }\n",
              expected: ["fleet.yaml:6:", "networks[1].name", "described twice", "line 5"]),
    ]

    @Test(arguments: badFleets)
    func badFleetNamesFileLineAndField(_ bad: BadFleet) {
        let error = Self.error(bad.text)
        #expect(error?.kind == .invalidInput)
        let message = error?.message ?? "(parsed without error)"
        for part in bad.expected {
            #expect(message.contains(part), "\(bad.label): '\(part)' missing from: \(message)")
        }
        #expect(!message.contains("\n"))
    }

    @Test func oneAddressReservedOnTwoHostsIsFine() throws {
        let text = """
            hosts:
              h1: { uri: "qemu:///system" }
              h2: { uri: "test:///default" }
            vms:
              - { name: a, host: h1, nics: [{ network: n, ip: 10.123.1.5 }] }
              - { name: b, host: h2, nics: [{ network: n, ip: 10.123.1.5 }] }
            """
        #expect(try Self.parse(text).vms.count == 2)
    }
}
