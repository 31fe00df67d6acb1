import Foundation
import LibXML
import Testing
import VNetCore

/// Generated and mutated input, from a fixed seed, fed in-process to the parsers vnetctl puts
/// between a user and libvirt, and topologies that parse to the planner: topology YAML and JSON,
/// the command-line values (MACs, CIDRs, addresses, `--host`), and libvirt XML with RelaxNG
/// validation. Each input must be accepted or refused with an error of the parser's own type whose
/// message, as vnetctl prints it (a `VNetError`), is one non-empty line; a crash fails the run.
///
/// `VNETCTL_FUZZ_ITERATIONS` (default 300 per parser) and `VNETCTL_FUZZ_SEED` lengthen or vary
/// the run (`Benchmarks/fuzz.sh` runs it long); the slowest input of each parser is printed.
@Suite(.serialized)
struct ParserFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["VNETCTL_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 300
    static let seed = ProcessInfo.processInfo.environment["VNETCTL_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x766e_6574_6374_6c14

    /// SplitMix64: the same sequence for the same seed on every platform.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let topology = """
        name: lab
        networks:
          - name: t-nat
            model: nat
            subnet: 10.123.10.0/24
            dhcp:
              range: 10.123.10.100-10.123.10.200
              hosts:
                - { mac: "52:54:00:7b:0a:01", ip: 10.123.10.5, hostname: printer }
          - { name: t-iso, model: isolated, subnet: auto, start: false }
        vms:
          - name: web1
            memory: 256MiB
            set: &q { virtType: qemu }
            nics:
              - { network: t-nat, ip: 10.123.10.11, mac: "52:54:00:7b:0a:11" }
          - { name: db, memory: 1GiB, set: *q, nics: [{ network: t-iso }] }
        """

    static let topologyJSON = """
        {"name": "lab", "networks": [{"name": "t-nat", "model": "nat", "subnet": "10.123.10.0/24",
          "dhcp": {"range": "10.123.10.100-10.123.10.200", "hosts": [{"mac": "52:54:00:7b:0a:01", "ip": "10.123.10.5"}]}}],
         "vms": [{"name": "web1", "memory": "256MiB", "nics": [{"network": "t-nat", "ip": "10.123.10.11"}]}]}
        """

    static let networkXML = """
        <network xmlns:vnetctl='https://vnetctl.dev/xmlns/vnetctl/1'>
          <name>t-nat</name>
          <metadata><vnetctl:network model='nat' topology='lab'/></metadata>
          <forward mode='nat'><nat><port start='1024' end='65535'/></nat></forward>
          <bridge name='vn-t-nat' stp='off' delay='0'/>
          <ip address='10.123.10.1' netmask='255.255.255.0'>
            <dhcp><range start='10.123.10.100' end='10.123.10.200'/>
              <host mac='52:54:00:7b:0a:01' ip='10.123.10.5' name='printer'/></dhcp>
          </ip>
        </network>
        """

    /// Pieces of syntax that mutations splice in: YAML, JSON and XML indicators, odd numbers and text.
    static let tokens = [
        "[", "]", "{", "}", ",", ":", ": ", "- ", "? ", "&a ", "*a", "*a: ", "!!str ", "!!binary ", "---\n", "...\n", "|\n", ">-\n",
        "\"", "'", "\\", "#", "\n", "\n  ", "\t", "%YAML 1.1\n", "<<: *a", "~", "null", "true", "-1", "0x10", "1e999", "NaN",
        "10.123.10.0/24", "::1", "52:54:00:00:00:00", "ff:ff:ff:ff:ff:ff", "256MiB", "99999999999999999999TiB",
        "<", ">", "</", "/>", "&amp;", "&#0;", "&x;", "<!DOCTYPE x [<!ENTITY x 'y'>]>", "<![CDATA[", "]]>", "<?xml?>",
        "\u{0}", "\u{FEFF}", "é", "名", "\u{202E}", String(repeating: "A", count: 300),
    ]

    static func mutate(_ text: String, using generator: inout Generator) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 1 where !bytes.isEmpty: bytes.remove(at: position)
            case 2:
                let end = min(bytes.count, position + Int.random(in: 1...40, using: &generator))
                if position < end { bytes.insert(contentsOf: bytes[position..<end], at: position) }
            case 3 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...40, using: &generator)))
            default: bytes.insert(contentsOf: Array(tokens.randomElement(using: &generator)!.utf8), at: position)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A short random string of syntax tokens and characters, for the value parsers.
    static func value(using generator: inout Generator) -> String {
        (0..<Int.random(in: 0...6, using: &generator)).map { _ in
            Bool.random(using: &generator)
                ? tokens.randomElement(using: &generator)!
                : String(UnicodeScalar(UInt8.random(in: 32...126, using: &generator)))
        }.joined()
    }

    /// Runs `body` on `count` inputs, recording the slowest; a refusal must be one line.
    static func fuzz(_ name: String, count: Int = iterations, _ body: (inout Generator) throws -> Void,
                     refusal: (any Error) -> String?) {
        // Each parser its own stream, the same on every run (Swift's hashValue is seeded per process).
        var generator = Generator(state: seed ^ name.utf8.reduce(UInt64(5381)) { $0 &* 33 &+ UInt64($1) })
        var slowest = Duration.zero
        let clock = ContinuousClock()
        for _ in 0..<count {
            let start = clock.now
            do {
                try body(&generator)
            } catch {
                if let message = refusal(error) {
                    #expect(!message.contains("\n") && !message.isEmpty, "\(name): \(message)")
                } else {
                    Issue.record("\(name): threw \(type(of: error)), not its parser's error: \(error)")
                }
            }
            slowest = max(slowest, clock.now - start)
        }
        print("ParserFuzzTests: \(name): \(count) inputs, seed \(seed), slowest \(slowest)")
    }

    static func vnetMessage(_ error: any Error) -> String? { (error as? VNetError)?.message }

    /// Topologies that parse are planned too, against libvirt's in-process test driver (check only).
    @Test func topologyYAMLParsedAndPlanned() throws {
        let connection = try LibvirtSession.open(uri: "test:///default", readOnly: true)
        Self.fuzz("topology YAML", { generator in
            var text = Self.topology
            for _ in 0..<Int.random(in: 1...3, using: &generator) { text = Self.mutate(text, using: &generator) }
            let topology = try TopologyParser.parse(text, source: "fuzz.yaml")
            _ = try TopologyApplier.converge(topology, on: connection, check: true, prune: true, allowRestart: false)
        }, refusal: Self.vnetMessage)
    }

    @Test func topologyJSON() {
        Self.fuzz("topology JSON", { generator in
            _ = try TopologyParser.parse(Self.mutate(Self.topologyJSON, using: &generator), source: "fuzz.json")
        }, refusal: Self.vnetMessage)
    }

    @Test func commandLineValues() {
        Self.fuzz("command-line values", count: Self.iterations * 4, { generator in
            let text = Self.value(using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: _ = try MACAddress(text)
            case 1: _ = try IPv4CIDR(text)
            case 2: _ = try IPv6CIDR(text)
            case 3: _ = try DHCPReservation(text)
            default: _ = try IPv4Address(text)
            }
        }, refusal: { $0 is AddressError ? VNetError.from($0).message : nil })
    }

    @Test func libvirtXML() throws {
        let schema = try RelaxNGSchema.libvirt("network")
        Self.fuzz("network XML", { generator in
            let document = try XMLDocument(string: Self.mutate(Self.networkXML, using: &generator), source: "fuzz.xml")
            for problem in schema.validate(document) { #expect(!problem.message.contains("\n"), "\(problem.message)") }
        }, refusal: { $0 is XMLError ? VNetError.from($0).message : nil })
    }
}
