import Foundation
import LibXML
import Testing

/// libxml2 must never write to stderr: errors reach callers only as values.
@Suite("Silent errors", .serialized)
struct SilentErrorsTests {
    @Test func failuresPrintNothing() throws {
        let schema = FileManager.default.temporaryDirectory.appending(path: "vnetctl-\(UUID().uuidString).rng").path
        try """
            <grammar xmlns='http://relaxng.org/ns/structure/1.0'>
              <include href='vnetctl-missing-include.rng'/>
            </grammar>
            """.write(toFile: schema, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: schema) }

        let captured = try Self.capturingStandardError {
            _ = try? XMLDocument(string: "<network>\n<name>x</nam>\n</network>")
            _ = try? XMLDocument(string: "")
            _ = try? XMLDocument(bytes: Array("<?xml version='1.0' encoding='x-no-such'?><a/>".utf8), source: "enc")
            _ = try? XMLDocument(
                bytes: Array("<?xml version='1.0' encoding='UTF-16'?><a>".utf8) + [0xD8, 0x00], source: "utf16")
            _ = try? XMLDocument(contentsOfFile: "/nonexistent.xml")
            let document = try XMLDocument(string: "<network><name>x</name></network>")
            _ = try? document.elements("//[")
            _ = try? document.string("nosuchfunction()")
            _ = try RelaxNGSchema.libvirt("network").validate(XMLDocument(string: "<network><bogus/></network>"))
            _ = try? RelaxNGSchema.libvirt("no-such-schema")
            _ = try? RelaxNGSchema(path: schema)
            _ = try? XMLDocument(
                bytes: Array("<?xml version='1.0' encoding='ISO-2022-JP'?><a>".utf8) + [0x1B, 0x24, 0x42, 0xFF, 0xFF],
                source: "jis")
        }
        // Other suites run meanwhile, so only lines in libxml2's report format count
        // ("FILE:LINE: parser error : …"); libvirt's own reports start with "libvirt:".
        let reports = captured.split(separator: "\n").filter { line in
            (line.contains(" error : ") || line.contains(" warning : ")) && !line.hasPrefix("libvirt:")
        }
        #expect(reports.isEmpty, "libxml2 wrote to stderr:\n\(captured)")
    }

    /// Runs `body` with file descriptor 2 sent to a temporary file, and returns what was written there.
    static func capturingStandardError(_ body: () throws -> Void) throws -> String {
        let path = FileManager.default.temporaryDirectory.appending(path: "vnetctl-stderr-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(file >= 0)
        let saved = dup(STDERR_FILENO)
        fflush(nil)
        dup2(file, STDERR_FILENO)
        close(file)
        defer {
            fflush(nil)
            dup2(saved, STDERR_FILENO)
            close(saved)
        }
        try body()
        fflush(nil)
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
