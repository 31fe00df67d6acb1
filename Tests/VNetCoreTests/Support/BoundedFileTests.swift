import Foundation
import Testing
import VNetCore

/// `BoundedFile` reads a regular file up to its kind's limit, byte for byte, and refuses one byte more.
struct BoundedFileTests {
    @Test(arguments: [BoundedFile.Kind.topology, .template, .xml, .moduleArguments])
    func readsUpToTheLimitAndRefusesOneByteMore(kind: BoundedFile.Kind) throws {
        let path = NSTemporaryDirectory() + "vnt-bounded-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: kind.limit)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(try BoundedFile.read(path, as: kind) == bytes)

        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes + [UInt8(ascii: "x")]))
        #expect(throws: VNetError.invalidInput(
            "\(kind.label)\(path) is \(kind.limit + 1) bytes, more than the \(kind.limit >> 20) MiB vnetctl reads of such a file; "
                + kind.hint)) {
            try BoundedFile.read(path, as: kind)
        }
    }

    /// The buffer is sized by `fstat` and grows: a file that reports size 0, as `/proc` files do,
    /// is still read to its end.
    @Test func readsAFileLongerThanItsReportedSize() throws {
        let status = try BoundedFile.text("/proc/self/status", as: .xml)
        #expect(status.hasPrefix("Name:"), "\(status)")
        #expect(status.contains("VmHWM:"), "\(status)")
    }

    @Test func followsASymlinkToARegularFileAndNamesAMissingOne() throws {
        let directory = NSTemporaryDirectory() + "vnt-bounded-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "networks: []\n".write(toFile: directory + "/lab.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.yaml", withDestinationPath: directory + "/lab.yaml")
        #expect(try BoundedFile.text(directory + "/link.yaml", as: .topology) == "networks: []\n")
        #expect(throws: VNetError.invalidInput(
            "\(directory)/missing.yaml does not exist; give the path of a topology file (YAML or JSON)")) {
            try BoundedFile.read(directory + "/missing.yaml", as: .topology)
        }
    }
}
