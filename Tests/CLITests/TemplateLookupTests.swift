import Foundation
import Testing
import TestSupport

/// Where vnetctl finds its templates: `VNETCTL_TEMPLATES`, the folder SwiftPM copies beside the
/// binary, and — for a binary copied on its own, as Ansible does with a module — the templates
/// built into it. Dry runs on `test:///default`, so nothing is defined.
@Suite(.onTestThreads) struct TemplateLookupTests {
    static let dryRun = ["-c", "test:///default", "define", "network", "vnt-lookup", "--model", "nat",
                         "--subnet", "10.123.44.0/24", "--dry-run"]

    /// A temporary folder holding only a copy of the vnetctl binary; removed by `body`'s end.
    func withLoneCopy(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-lone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("vnetctl").path
        try FileManager.default.copyItem(atPath: VNetCtlBinary.path, toPath: copy)
        try body(copy)
    }

    @Test func aLoneCopyRendersWithItsBuiltInTemplatesWhatTheFilesRender() throws {
        let withFiles = try VNetCtlBinary.run(Self.dryRun)
        #expect(withFiles.status == 0, "\(withFiles)")
        try withLoneCopy { copy in
            let listing = try Command.run([copy, "--json", "templates"])
            #expect(listing.status == 0, "\(listing)")
            let entries = try #require((try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])?["templates"] as? [[String: Any]])
            let paths = entries.compactMap { $0["path"] as? String }
            #expect(paths.count == entries.count && paths.count >= 7, "\(listing.stdout)")
            #expect(paths.allSatisfy { $0.hasPrefix("built-in:") }, "\(paths)")

            let builtIn = try Command.run([copy] + Self.dryRun)
            #expect(builtIn.status == 0, "\(builtIn)")
            #expect(builtIn.stdout == withFiles.stdout)
        }
    }

    @Test func theFolderBesideTheBinaryIsListedAsFiles() throws {
        let listing = try VNetCtlBinary.run(["--json", "templates"])
        #expect(listing.status == 0, "\(listing)")
        let entries = try #require((try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])?["templates"] as? [[String: Any]])
        let paths = entries.compactMap { $0["path"] as? String }
        #expect(!paths.isEmpty)
        #expect(paths.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "\(paths)")
    }

    @Test func vnetctlTemplatesOverridesBoth() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let network = directory.appendingPathComponent("network")
        try FileManager.default.createDirectory(at: network, withIntermediateDirectories: true)
        let shipped = URL(fileURLWithPath: VNetCtlBinary.path).deletingLastPathComponent()
            .appendingPathComponent("vnetctl_VNetCore.resources/Templates/network/nat.xml.mustache")
        let text = try String(contentsOf: shipped, encoding: .utf8)
            .replacingOccurrences(of: "</name>", with: "</name>\n  <!-- vnt-own-nat -->")
        try text.write(to: network.appendingPathComponent("nat.xml.mustache"), atomically: true, encoding: .utf8)
        try withLoneCopy { copy in
            let result = try Command.run([copy] + Self.dryRun, environment: ["VNETCTL_TEMPLATES": directory.path])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("<!-- vnt-own-nat -->"), "\(result.stdout)")
        }
    }

    @Test func aVNETCTLTemplatesWithoutANetworkFolderIsBadInput() throws {
        let missing = "/nonexistent/vnt-templates"
        let result = try VNetCtlBinary.run(Self.dryRun, environment: ["VNETCTL_TEMPLATES": missing])
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("VNETCTL_TEMPLATES=\(missing) has no network/ folder"), "\(result.stderr)")
        #expect(result.stderr.contains("unset it"), "\(result.stderr)")
    }
}
