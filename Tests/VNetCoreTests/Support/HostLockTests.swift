import Foundation
import Synchronization
import Testing
@testable import VNetCore
#if canImport(Glibc)
import Glibc
#endif

/// The host lock in a directory of the test's own (as root, like vnetctl): it takes a plain file,
/// refuses every other thing at its path without following or changing it, and waits for a holder
/// a bounded time, naming its pid.
@Suite(.serialized)
struct HostLockTests {
    /// A fresh root-owned 0700 directory and the lock path inside it.
    struct Place {
        let directory: String
        var path: String { directory + "/lock" }

        init() throws {
            directory = NSTemporaryDirectory() + "vnt-lock-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A shell that takes the lock at `path` with flock(1) on its own descriptor, writes its pid as
    /// vnetctl does, and becomes `sleep` (same pid, same descriptor): the lock goes when that process ends.
    static func hold(_ path: String, seconds: Int = 60) throws -> Process {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9<>'\(path)'; flock 9; echo $$ > '\(path)'; exec sleep \(seconds)"]
        try holder.run()
        let pid = "\(holder.processIdentifier)"
        var written = ""
        for _ in 0..<500 where written != pid {
            written = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if written != pid { usleep(10_000) }
        }
        if written != pid {
            holder.terminate()
            holder.waitUntilExit()
        }
        try #require(written == pid, "the holder \(pid) never wrote its pid")
        return holder
    }

    @Test func takesAPlainFileWritesItsPidAndReleasesOnDeinit() throws {
        let place = try Place()
        defer { place.remove() }
        do {
            let lock = try HostLock(path: place.path, timeout: .zero)
            let text = try String(contentsOfFile: place.path, encoding: .utf8)
            #expect(text == "\(getpid())\n")
            withExtendedLifetime(lock) {}
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: place.path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        // Released: a second lock is taken at once.
        _ = try HostLock(path: place.path, timeout: .zero)
    }

    enum Planted: String, CaseIterable {
        case symlinkToMissing, symlinkToFile, directory, fifo, otherOwner, hardLink, openDirectory
    }

    @Test(arguments: Planted.allCases)
    func refusesAnythingButARootOwnedFileAndChangesNothing(_ planted: Planted) throws {
        let place = try Place()
        defer { place.remove() }
        let target = place.directory + "/target"
        var mentions = ""
        switch planted {
        case .symlinkToMissing:
            try FileManager.default.createSymbolicLink(atPath: place.path, withDestinationPath: target)
            mentions = "symbolic link"
        case .symlinkToFile:
            try "keep\n".write(toFile: target, atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: place.path, withDestinationPath: target)
            mentions = "symbolic link"
        case .directory:
            try FileManager.default.createDirectory(atPath: place.path, withIntermediateDirectories: false)
            mentions = "is a directory"
        case .fifo:
            #expect(mkfifo(place.path, 0o600) == 0)
            mentions = "a FIFO"
        case .otherOwner:
            try "".write(toFile: place.path, atomically: true, encoding: .utf8)
            #expect(chown(place.path, 65534, 65534) == 0)
            mentions = "uid 65534"
        case .hardLink:
            try "keep\n".write(toFile: target, atomically: true, encoding: .utf8)
            #expect(link(target, place.path) == 0)
            mentions = "2 link(s)"
        case .openDirectory:
            #expect(chmod(place.directory, 0o777) == 0)
            mentions = "no one else may write"
        }
        let before = try? FileManager.default.attributesOfItem(atPath: target)
        let targetText = try? String(contentsOfFile: target, encoding: .utf8)

        #expect {
            _ = try HostLock(path: place.path, timeout: .zero)
        } throws: { error in
            let error = error as? VNetError
            return error?.kind == .failure && error?.message.contains(mentions) == true
                && error?.message.contains("\n") == false
        }
        // Nothing was created or written through the planted thing.
        #expect(FileManager.default.fileExists(atPath: target) == (before != nil))
        #expect((try? String(contentsOfFile: target, encoding: .utf8)) == targetText)
    }

    @Test func waitsForAnotherProcessNamingItsPidThenGivesUp() throws {
        let place = try Place()
        defer { place.remove() }
        let holder = try Self.hold(place.path)
        defer {
            holder.terminate()
            holder.waitUntilExit()
        }
        let pid = "\(holder.processIdentifier)"

        var heard: [OptionRemedy] = []
        #expect {
            _ = try HostLock(path: place.path, timeout: .milliseconds(300), quietFor: .zero) { heard.append($0) }
        } throws: { error in
            let error = error as? VNetError
            return error?.kind == .failure && error?.message.contains("held by pid \(pid)") == true
                && error?.remedy?.option == .lockTimeout && error?.message.contains("give more time with lock timeout,") == true
        }
        #expect(heard.count == 1 && heard.first?.before.contains("held by pid \(pid)") == true, "\(heard)")
        // The note asks for the wait's option; the library's own wording names it neutrally.
        #expect(heard.first?.option == .lockTimeout)
        #expect(heard.first?.worded(by: SpecFieldNames(names: [:])).hasSuffix("(at most 0.3s, lock timeout)") == true, "\(heard)")
        // A script's stderr hears of a short wait only through the failure.
        var quiet: [OptionRemedy] = []
        #expect(throws: VNetError.self) {
            _ = try HostLock(path: place.path, timeout: .milliseconds(100), quietFor: .seconds(10)) { quiet.append($0) }
        }
        #expect(quiet.isEmpty, "\(quiet)")
        #expect(try String(contentsOfFile: place.path, encoding: .utf8) == "\(pid)\n", "the waiter wrote the file")

        holder.terminate()
        holder.waitUntilExit()
        let lock = try HostLock(path: place.path, timeout: .seconds(30))
        #expect(try String(contentsOfFile: place.path, encoding: .utf8) == "\(getpid())\n")
        withExtendedLifetime(lock) {}
    }

    @Test func nestedWithLockSharesTheOuterLock() throws {
        // Without sharing, the inner call would wait on the outer one until --lock-timeout.
        let value = try HostLock.withLock { () throws(VNetError) in
            try HostLock.withLock { () throws(VNetError) in 42 }
        }
        #expect(value == 42)
        // Released afterwards: this process takes it again (another vnetctl may hold it a moment).
        _ = try HostLock(timeout: .seconds(30))
    }

    /// A library caller's wait is a value it passes: `withLock` (which every locking entry point
    /// uses) gives up after the caller's timeout while another process holds the lock, and tells
    /// the caller's note, not stderr. The lock is one of the test's own: the host's real one is
    /// held by the vnetctl processes of the tests beside it.
    @Test func withLockWaitsTheTimeoutItIsGiven() throws {
        let place = try Place()
        defer { place.remove() }
        let holder = try Self.hold(place.path, seconds: 2)
        defer {
            holder.terminate()
            holder.waitUntilExit()
        }
        let heard = Mutex<[OptionRemedy]>([])
        // Had it waited the default 30 s, the holder would have gone after 2 s and the lock been taken.
        #expect {
            try HostLock.withLock(HostLock.Wait(timeout: .milliseconds(200)) { note in heard.withLock { $0.append(note) } }, path: place.path) {
                () throws(VNetError) in
            }
        } throws: { error in
            (error as? VNetError)?.message.contains("held by pid \(holder.processIdentifier) after 0.2s") == true
        }
        #expect(heard.withLock { $0 }.allSatisfy { $0.option == .lockTimeout })
    }

    /// The firewall lock of port forwards waits as the caller says too: a command's lock wait reaches it.
    @Test func forwardRulesWaitTheTimeoutTheyAreGiven() throws {
        let holder = try Self.hold(ForwardRules.lockPath, seconds: 2)
        defer {
            holder.terminate()
            holder.waitUntilExit()
        }
        #expect {
            try ForwardRules.remove(network: "vnt-lock-none", lockWait: HostLock.Wait(timeout: .milliseconds(200)))
        } throws: { error in
            (error as? VNetError)?.message.contains("\(ForwardRules.lockPath) is still held by pid \(holder.processIdentifier) after 0.2s") == true
        }
    }
}
