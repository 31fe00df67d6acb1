import Foundation
import Testing
import TestSupport

/// Bad input and failures: one line on stderr, the contract's exit code, never a crash.
@Suite(.onTestThreads) struct ErrorContractTests {
    struct Case: Sendable, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var mentions: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: ["-c", "test:///default", "dumpxml", "network", "vnt-missing"], status: 2, mentions: "vnt-missing"),
        Case(arguments: ["-c", "test:///default", "dumpxml", "vm", "vnt-missing"], status: 2, mentions: "vnt-missing"),
        Case(arguments: ["-c", "test:///default", "dumpxml", "volume", "x"], status: 2, mentions: "volume"),
        Case(arguments: ["-c", "qemu+unix:///system?socket=/nonexistent/sock", "list"], status: 1, mentions: "cannot connect"),
        Case(arguments: ["-c", "nosuchdriver:///x", "version"], status: 2, mentions: "'nosuchdriver' is no libvirt driver"),
        Case(arguments: ["-c", "bogus:///system", "list"], status: 2, mentions: "'bogus' is no libvirt driver"),
        Case(arguments: ["-c", "QEMU:///system", "list"], status: 2, mentions: "'QEMU' is no libvirt driver"),
        Case(arguments: ["-c", "http://example.com/", "list"], status: 2, mentions: "'http' is no libvirt driver"),
        Case(arguments: ["-c", "qemu+bogus:///system", "list"], status: 2, mentions: "'bogus' is no libvirt transport"),
        Case(arguments: ["-c", "::not a uri::", "list"], status: 2, mentions: "-c '::not a uri::' is not a libvirt URI"),
        Case(arguments: ["-c", "qemu://[::1", "list"], status: 2, mentions: "-c 'qemu://[::1' is not a libvirt URI"),
        Case(arguments: ["-c", "vnt-no-such-alias", "list"], status: 2, mentions: "no alias of one"),
        Case(arguments: ["frobnicate"], status: 2, mentions: "frobnicate"),
        Case(arguments: ["list", "--bogus"], status: 2, mentions: "--bogus"),
        Case(arguments: ["validate", "/nonexistent/net.xml"], status: 2, mentions: "/nonexistent/net.xml"),
        Case(arguments: ["validate"], status: 2, mentions: "file"),
        Case(arguments: ["-c", "test:///default", "define", "vm", "vnt-setkey", "--network", "default", "--set", "virtTpye=qemu", "--dry-run"],
             status: 2, mentions: "--set virtTpye: template pxe uses no such key; did you mean 'virtType'?"),
        Case(arguments: ["-c", "test:///default", "define", "network", "vnt-setkey", "--model", "isolated", "--subnet", "10.123.250.0/24",
                         "--set", "brdige.stp=on", "--dry-run"],
             status: 2, mentions: "did you mean 'bridge.stp'?"),
    ]

    @Test(arguments: cases)
    func oneLineAndExitCode(_ testCase: Case) throws {
        let result = try VNetCtlBinary.run(testCase.arguments)
        #expect(result.status == testCase.status, "\(result)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr must be one line: \(result)")
        #expect(result.stderr.contains(testCase.mentions), "\(result)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(!result.stderr.contains("scripts/"), "a user's message names no script of this repository")
    }

    @Test func jsonErrorsGoToStdout() throws {
        let result = try VNetCtlBinary.run(["-c", "test:///default", "--json", "dumpxml", "network", "vnt-missing"])
        #expect(result.status == 2)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any], "\(result)")
        #expect(error["kind"] as? String == "invalid-input")
        #expect((error["message"] as? String)?.contains("vnt-missing") == true)
        #expect(error["exitCode"] as? Int == 2)
        #expect(object?["schemaVersion"] as? Int == 2)
        #expect(result.stderr.isEmpty, "with --json, stderr stays quiet: \(result)")
    }

    @Test func uriComesFromTheEnvironment() throws {
        let result = try VNetCtlBinary.run(
            ["--json", "version"], environment: ["LIBVIRT_DEFAULT_URI": "test:///default"])
        #expect(result.status == 0, "\(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["uri"] as? String == "test:///default")
    }

    @Test func helpIsNoError() throws {
        let result = try VNetCtlBinary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE"))
        #expect(result.stderr.isEmpty)
    }
}
