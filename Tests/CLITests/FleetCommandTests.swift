import Foundation
import Testing
import TestSupport

/// `apply --host` and `teardown --host` refusals, and a fleet run through `test:///default`
/// (libvirt's in-process driver), with no daemon.
struct FleetCommandTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-fleet-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let fleet = "hosts:\n  h1: { uri: \"test:///default\" }\n  h2: { uri: \"test:///default\" }\n"
        + "networks:\n  - { name: vnt-f1, host: h1, model: isolated, subnet: 10.123.254.0/24 }\n"

    @Test(arguments: [
        ("apply", fleet, "h9", "--host: host 'h9' is not under hosts: of"),
        ("teardown", fleet, "h9", "its hosts are h1, h2"),
        ("apply", "networks:\n  - { name: vnt-f1, model: isolated }\n", "h1", "names no hosts:"),
    ])
    func hostNotInTheFileIsBadInput(command: String, text: String, host: String, expected: String) throws {
        let path = try Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try VNetCtlBinary.run([command, "-f", path, "--host", host])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains(expected) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test func aFleetCheckReportsEachHost() throws {
        let path = try Self.file(Self.fleet)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try VNetCtlBinary.run(["apply", "-f", path, "--check"])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "host h1 (test:///default): checked", "\(result.stdout)")
        #expect(lines.contains("  network vnt-f1: created"), "\(result.stdout)")
        #expect(lines.contains("host h2 (test:///default): checked"), "\(result.stdout)")
        #expect(lines.last == "2 of 2 hosts checked (h1, h2)", "\(result.stdout)")
    }

    /// One explicit MAC on two hosts of the file is refused in the plan, naming the other host.
    @Test func oneExplicitMACOnTwoHostsIsBadInput() throws {
        let nic = "nics: [{ network: default, mac: \"52:54:00:7b:fe:01\" }]"
        let path = try Self.file(
            "hosts:\n  h1: { uri: \"test:///default\" }\n  h2: { uri: \"test:///default\" }\nvms:\n"
                + "  - { name: vnt-fa, host: h1, \(nic) }\n  - { name: vnt-fb, host: h2, \(nic) }\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try VNetCtlBinary.run(["apply", "-f", path, "--check"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("52:54:00:7b:fe:01") && result.stderr.contains("on host 'h2'"), "\(result.stderr)")
    }
}
