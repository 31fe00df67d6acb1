import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Every file a user names is read bounded: `/dev/zero`, a 50 MB file, a 1 GB sparse file, a FIFO
/// and a directory are refused with exit 2 and one line naming the path, by every command that reads
/// a file, under a 400 MB address-space limit that an unbounded read would break.
@Suite(.onTestThreads, .serialized)
struct BoundedInputTests {
    /// The hostile files, in one directory that later runs reuse (the 50 MB file is made once).
    static let files: [String: String] = {
        let directory = NSTemporaryDirectory() + "vnt-bounded-input"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let big = directory + "/big.yaml"
        if !FileManager.default.fileExists(atPath: big) {
            let block = Data(String(repeating: "networks: []\n", count: 80_000).utf8)
            let partial = big + ".\(getpid())"
            _ = FileManager.default.createFile(atPath: partial, contents: nil)
            if let handle = FileHandle(forWritingAtPath: partial) {
                for _ in 0..<(50_000_000 / block.count + 1) { handle.write(block) }
                try? handle.close()
            }
            _ = rename(partial, big)
        }
        let sparse = directory + "/sparse.yaml"
        _ = FileManager.default.createFile(atPath: sparse, contents: nil)
        _ = truncate(sparse, 1 << 30)
        let fifo = directory + "/fifo.yaml"
        if !FileManager.default.fileExists(atPath: fifo) { _ = mkfifo(fifo, 0o600) }
        let folder = directory + "/folder.yaml"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return ["/dev/zero": "a character device", big: "is 5", sparse: "is 1073741824 bytes", fifo: "a FIFO",
                folder: "a directory"]
    }()

    static let commands: [@Sendable (String) -> [String]] = [
        { ["validate", $0] },
        { ["apply", "--check", "-f", $0] },
        { ["teardown", "--check", "-f", $0] },
        { ["define", "network", "vnt-bounded", "--model", "isolated", "--subnet", "10.123.77.0/24", "--template", $0] },
        { ["define", "vm", "vnt-bounded", "--network", "default", "--template", $0] },
    ]

    @Test(arguments: ["/dev/zero", "big", "sparse", "fifo", "folder"], 0..<commands.count)
    func aHostileFileIsRefusedInOneLine(which: String, command: Int) throws {
        let path = try #require(Self.files.keys.first { $0 == which || $0.hasSuffix("/\(which).yaml") })
        let arguments = ["-c", "test:///default"] + Self.commands[command](path)
        let result = try Command.run(
            ["sh", "-c", "ulimit -v 400000; exec \"$0\" \"$@\"", VNetCtlBinary.path] + arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        #expect(result.stderr.contains(path) && result.stderr.contains(Self.files[path] ?? "?"), "\(result)")
    }

    @Test(arguments: ["/dev/zero", "sparse", "fifo", "folder"])
    func anAnsibleArgumentsPathThatIsNoFileIsNotReadAsOne(which: String) throws {
        let path = try #require(Self.files.keys.first { $0 == which || $0.hasSuffix("/\(which).yaml") })
        let result = try Command.run(["sh", "-c", "ulimit -v 400000; exec \"$0\" \"$@\"", VNetCtlBinary.path, path])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
    }
}
