import Foundation
import Testing
import TestSupport
@testable import VNetCommands
@testable import VNetCore

/// The `--json` contract (docs/json.md) and every command's `--help`, held by golden files in
/// `Tests/Golden/JSON` and `Tests/Golden/Help`.
///
/// A JSON golden file holds the output's shape, not its values: each object with its keys sorted,
/// each scalar replaced by its type, each list by the shape of its elements. Commands run against
/// `test:///default`, libvirt's in-process driver, so nothing outlives the process.
/// Set `VNETCTL_UPDATE_GOLDEN=1` to rewrite the files from the current output (then review the diff).
@Suite(.onTestThreads) struct GoldenShapeTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// A JSON value as JSONDecoder reads it, which tells booleans from numbers.
    indirect enum JSONValue: Decodable {
        case object([String: JSONValue]), array([JSONValue]), string, number, bool, null

        init(from decoder: any Decoder) throws {
            if let object = try? decoder.container(keyedBy: Key.self) {
                self = .object(Dictionary(uniqueKeysWithValues: try object.allKeys.map {
                    ($0.stringValue, try object.decode(JSONValue.self, forKey: $0))
                }))
            } else if var array = try? decoder.unkeyedContainer() {
                var elements: [JSONValue] = []
                while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
                self = .array(elements)
            } else {
                let value = try decoder.singleValueContainer()
                if value.decodeNil() {
                    self = .null
                } else if (try? value.decode(Bool.self)) != nil {
                    self = .bool
                } else if (try? value.decode(Double.self)) != nil {
                    self = .number
                } else {
                    _ = try value.decode(String.self)
                    self = .string
                }
            }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// The value's shape as indented text: keys sorted, scalars as their type, a list as the
        /// distinct shapes of its elements.
        func shape(indent: String = "") -> String {
            let inner = indent + "  "
            switch self {
            case .object(let fields):
                let lines = fields.keys.sorted().map { "\(inner)\($0): \(fields[$0]!.shape(indent: inner))" }
                return lines.isEmpty ? "{}" : "{\n\(lines.joined(separator: "\n"))\n\(indent)}"
            case .array(let elements):
                let shapes = Set(elements.map { $0.shape(indent: inner) }).sorted()
                return shapes.isEmpty ? "[]" : "[\n\(shapes.map { inner + $0 }.joined(separator: "\n"))\n\(indent)]"
            case .string: return "string"
            case .number: return "number"
            case .bool: return "bool"
            case .null: return "null"
            }
        }
    }

    static func compare(_ text: String, golden name: String) throws {
        let file = golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["VNETCTL_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "\(name) differs; VNETCTL_UPDATE_GOLDEN=1 rewrites it\n\(text)")
    }

    static func jsonShape(_ stdout: String) throws -> String {
        try JSONDecoder().decode(JSONValue.self, from: Data(stdout.utf8)).shape() + "\n"
    }

    /// A scratch directory with a network XML to validate and a topology file to apply.
    static let files: URL = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-golden-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? "<network><name>vnt-golden</name><bogus/></network>\n".write(
            to: directory.appendingPathComponent("net.xml"), atomically: true, encoding: .utf8)
        try? "networks:\n  - name: vnt-golden\n    model: isolated\n    subnet: 10.123.251.0/24\n".write(
            to: directory.appendingPathComponent("lab.yaml"), atomically: true, encoding: .utf8)
        try? ("hosts:\n  h1: { uri: \"test:///default\" }\n  h2: { uri: \"test:///default\" }\nnetworks:\n"
            + "  - { name: vnt-golden1, host: h1, model: isolated, subnet: 10.123.252.0/24 }\n"
            + "  - { name: vnt-golden2, host: h2, model: isolated, subnet: 10.123.253.0/24 }\n").write(
            to: directory.appendingPathComponent("fleet.yaml"), atomically: true, encoding: .utf8)
        return directory
    }()

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var status: Int32 = 0
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "version", arguments: ["version"]),
        Case(name: "list", arguments: ["list"]),
        Case(name: "list-networks", arguments: ["list", "networks"]),
        Case(name: "list-vms", arguments: ["list", "vms"]),
        Case(name: "show-network", arguments: ["show", "network", "default"]),
        Case(name: "show-vm", arguments: ["show", "vm", "test"]),
        Case(name: "dumpxml", arguments: ["dumpxml", "network", "default"]),
        Case(name: "templates", arguments: ["templates"]),
        Case(name: "validate", arguments: ["validate", files.appendingPathComponent("net.xml").path], status: 1),
        Case(name: "define-network", arguments: ["define", "network", "vnt-golden", "--model", "isolated", "--subnet", "10.123.251.0/24"]),
        Case(name: "define-network-dry-run",
             arguments: ["define", "network", "vnt-golden", "--model", "nat", "--subnet", "10.123.251.0/24", "--dry-run"]),
        Case(name: "define-vm-dry-run", arguments: ["define", "vm", "vnt-golden", "--network", "default,ip=192.168.122.5", "--dry-run"]),
        Case(name: "stop", arguments: ["stop", "network", "default", "--force"]),
        Case(name: "forwards", arguments: ["forwards", "default"]),
        Case(name: "apply-check", arguments: ["apply", "-f", files.appendingPathComponent("lab.yaml").path, "--check"]),
        Case(name: "teardown", arguments: ["teardown", "-f", files.appendingPathComponent("lab.yaml").path]),
        Case(name: "graph", arguments: ["graph", "--format", "svg"]),
        Case(name: "apply-fleet-check", arguments: ["apply", "-f", files.appendingPathComponent("fleet.yaml").path, "--check"]),
        Case(name: "teardown-fleet", arguments: ["teardown", "-f", files.appendingPathComponent("fleet.yaml").path]),
        Case(name: "host-bridge-create-dry-run", arguments: ["host-bridge", "create", "vnt-golden0", "--persist", "none", "--dry-run"]),
        // A second -c makes these fleet-wide reads of two hosts (two fresh test:///default drivers).
        Case(name: "list-fleet", arguments: ["-c", "test:///default", "list"]),
        Case(name: "show-network-fleet", arguments: ["-c", "test:///default", "show", "network", "default"]),
        Case(name: "show-vm-fleet", arguments: ["-c", "test:///default", "show", "vm", "test"]),
        Case(name: "error-invalid-input", arguments: ["show", "network", "vnt-missing"], status: 2),
        Case(name: "error-usage", arguments: ["list", "--bogus"], status: 2),
    ]

    @Test(arguments: cases)
    func jsonShapeMatchesGolden(_ testCase: Case) throws {
        let result = try VNetCtlBinary.run(["-c", "test:///default", "--json"] + testCase.arguments)
        #expect(result.status == testCase.status, "\(result)")
        #expect(result.stderr.isEmpty, "with --json, stderr stays quiet: \(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["schemaVersion"] as? Int == Output.schemaVersion, "\(result.stdout)")
        try Self.compare(try Self.jsonShape(result.stdout), golden: "JSON/\(testCase.name).shape")
    }

    /// Lists whose elements `test:///default` cannot produce or that vary with the host: leases
    /// (its driver has none), host bridges and MACs (the host's own interfaces, and their
    /// duplicates), encoded from fixed values.
    @Test func leasesAndBridgesShapeMatchGolden() throws {
        let lease = try JSONDecoder().decode(
            NetworkDetails.Lease.self, from: Data(#"{"mac": "52:54:00:00:00:01", "address": "10.123.1.5/24", "hostname": "h", "expiry": 0}"#.utf8))
        let leases = Output.json(["leases": [lease]])
        #expect(leases.contains(#""expiry" : "2001-01-01T00:00:00Z""#), "dates are ISO 8601: \(leases)")
        try Self.compare(try Self.jsonShape(leases), golden: "JSON/leases.shape")
        let bridge = try JSONDecoder().decode(
            HostBridgeSummary.self,
            from: Data(#"{"name": "br0", "mac": "52:54:00:00:00:02", "mtu": 1500, "up": true, "stp": false, "forwardDelay": 0, "ports": ["eth0"], "addresses": ["192.0.2.10/24"]}"#.utf8))
        try Self.compare(try Self.jsonShape(Output.json(["bridges": [bridge]])), golden: "JSON/host-bridge-list.shape")
        let mac = try MACAddress("52:54:00:00:00:03")
        let nic = MACInventory.Use(mac: mac, kind: .domainNIC, owner: "web1", detail: "network 'lab-nat'")
        let host = MACInventory.Use(mac: mac, kind: .hostInterface, owner: "eth0", detail: nil)
        let macs = MACsCommand.Report(macs: [nic, host], duplicates: [[nic, host]], unseen: [])
        try Self.compare(try Self.jsonShape(Output.json(macs)), golden: "JSON/macs.shape")
        try Self.compare(
            try Self.jsonShape(Output.json(MACsCommand.Report(macs: nil, duplicates: [[nic, host]], unseen: []))), golden: "JSON/macs-check.shape")
        let fleet = MACsCommand.FleetReport(
            hosts: [.init(name: "h1", uri: "qemu:///system", unseen: [], error: nil),
                    .init(name: "h2", uri: "qemu+tcp://kvm2/system", unseen: ["addresses"], error: "cannot connect")],
            macs: [.init(host: "h1", use: nic), .init(host: "h2", use: host)],
            duplicates: [[.init(host: "h1", use: nic), .init(host: "h2", use: nic)]])
        try Self.compare(try Self.jsonShape(Output.json(fleet)), golden: "JSON/macs-fleet.shape")
        let leftovers = LeftoversCommand.Report(
            reservations: [.init(network: "lab-nat", mac: "52:54:00:00:00:04", ip: "10.123.7.30", hostname: "web3")],
            overlays: [.init(pool: "default", name: "web3.qcow2", path: "/var/lib/libvirt/images/web3.qcow2", backing: "/srv/base.qcow2")],
            bridges: [.init(name: "br1", live: true, files: ["/etc/systemd/network/br1.netdev"])], limits: LeftoversCommand.limits)
        try Self.compare(try Self.jsonShape(Output.json(leftovers)), golden: "JSON/leftovers.shape")
    }

    /// Every command path of the tree, from `--experimental-dump-help`.
    static func commandPaths() throws -> [[String]] {
        let result = try VNetCtlBinary.run(["--experimental-dump-help"])
        let root = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            paths.append(path)
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                walk(sub, path + [name])
            }
        }
        walk(try #require(root?["command"] as? [String: Any]), [])
        return paths
    }

    @Test func helpOfEveryCommandMatchesGolden() throws {
        let paths = try Self.commandPaths()
        #expect(paths.count > 20)
        for path in paths {
            let result = try VNetCtlBinary.run(path + ["--help"], environment: ["COLUMNS": "100"])
            #expect(result.status == 0, "\(result)")
            try Self.compare(result.stdout, golden: "Help/\((["vnetctl"] + path).joined(separator: "-")).txt")
        }
    }
}
