import Foundation
import Testing
import TestSupport
@testable import VNetCommands
import VNetCore

/// The host lock as a user meets it: a command that needs it while another process holds it waits
/// `--lock-timeout` and fails with exit 1 and one line naming that pid (a script's stderr hears of
/// the wait only after 10 s); a planted symlink is refused in one line and never followed.
@Suite(.onTestThreads, .serialized)
struct HostLockCommandTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "vnt-lockcli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        return path
    }

    static let define = ["define", "network", "vnt-lock", "--model", "isolated", "--subnet", "10.123.77.0/24"]

    @Test(arguments: [["-c", "test:///default", "--lock-timeout", "0.3"], ["-c", "test:///default", "--lock-timeout=0.3"]])
    func aHeldLockIsWaitedForABoundedTimeNamingItsHolder(global: [String]) throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/lock"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9<>'\(path)'; flock 9; echo $$ > '\(path)'; exec sleep 60"]
        try holder.run()
        defer {
            holder.terminate()
            holder.waitUntilExit()
        }
        let pid = "\(holder.processIdentifier)"
        for _ in 0..<500 where (try? String(contentsOfFile: path, encoding: .utf8)) != "\(pid)\n" { usleep(10_000) }

        let result = try VNetCtlBinary.run(global + Self.define, environment: ["VNETCTL_LOCK_FILE": path])
        #expect(result.status == 1, "\(result)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "vnetctl: the host lock \(path) is still held by pid \(pid) after 0.3s; wait for it to finish, give more "
                + "time with --lock-timeout, or end that process if it hangs",
        ], "\(result)")
    }

    /// The note that a command waits names the option as the front end that heard it asks for it;
    /// no front end's table is set anywhere for the lock to read.
    @Test func theWaitNoteIsWordedByTheFrontEndThatHearsIt() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/lock"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9<>'\(path)'; flock 9; echo $$ > '\(path)'; exec sleep 60"]
        try holder.run()
        defer {
            holder.terminate()
            holder.waitUntilExit()
        }
        let pid = "\(holder.processIdentifier)"
        for _ in 0..<500 where (try? String(contentsOfFile: path, encoding: .utf8)) != "\(pid)\n" { usleep(10_000) }

        var heard: [OptionRemedy] = []
        #expect(throws: VNetError.self) {
            _ = try HostLock(path: path, timeout: .milliseconds(200), quietFor: .zero) { heard.append($0) }
        }
        let note = try #require(heard.first)
        let waiting = "waiting for the host lock \(path), held by pid \(pid) (at most 0.2s, "
        #expect(note.worded(by: SpecFieldNames(names: [:])) == waiting + "lock timeout)")
        #expect(note.worded(by: .commandLine) == waiting + "--lock-timeout)")
        #expect(note.worded(by: .ansible) == waiting + "lock_timeout)")
    }

    /// The Ansible module takes `lock_timeout`, and its failure asks for that argument.
    @Test func theAnsibleModuleWaitsItsLockTimeoutAndAsksForIt() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/lock"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9<>'\(path)'; flock 9; echo $$ > '\(path)'; exec sleep 60"]
        try holder.run()
        defer {
            holder.terminate()
            holder.waitUntilExit()
        }
        let pid = "\(holder.processIdentifier)"
        for _ in 0..<500 where (try? String(contentsOfFile: path, encoding: .utf8)) != "\(pid)\n" { usleep(10_000) }
        let arguments = directory + "/args.json"
        let topology = #"{"networks": [{"name": "vnt-lock", "model": "isolated", "subnet": "10.123.77.0/24"}]}"#
        try #"{"uri": "test:///default", "lock_timeout": 0.3, "topology": \#(topology)}"#
            .write(toFile: arguments, atomically: true, encoding: .utf8)

        let result = try VNetCtlBinary.run([arguments], environment: ["VNETCTL_LOCK_FILE": path])
        #expect(result.status == 1, "\(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["msg"] as? String == "the host lock \(path) is still held by pid \(pid) after 0.3s; wait for it to "
            + "finish, give more time with lock_timeout, or end that process if it hangs", "\(result)")
    }

    @Test func aSymlinkAtTheLockPathIsRefusedAndNotFollowed() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/lock", target = directory + "/planted"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        let result = try VNetCtlBinary.run(["-c", "test:///default"] + Self.define, environment: ["VNETCTL_LOCK_FILE": path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "vnetctl: the host lock \(path) is a symbolic link, which vnetctl never follows; remove it (rm \(path))\n")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test(arguments: ["-1", "soon", "1e9"])
    func aBadTimeoutIsInvalidInput(value: String) throws {
        let result = try VNetCtlBinary.run(["-c", "test:///default", "--lock-timeout", value] + Self.define)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("--lock-timeout") && result.stderr.split(separator: "\n").count == 1, "\(result)")
    }
}
