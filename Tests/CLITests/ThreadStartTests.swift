import Foundation
import Testing
import TestSupport

/// A command that waits for no event runs on the main thread alone: it starts neither the threads
/// of Swift's concurrency runtime nor libvirt's event loop (1.5–2.5 ms of CPU of every short
/// command, docs/benchmarks.md). The kernel says so: strace sees every thread the process creates.
@Suite(.onTestThreads) struct ThreadStartTests {
    @Test(arguments: [
        ["--version"],
        ["-c", "test:///default", "version"],
        ["-c", "test:///default", "list"],
        ["-c", "test:///default", "show", "vm", "test"],
        ["-c", "test:///default", "macs", "--check"],
        ["-c", "test:///default", "define", "network", "vnt-threads", "--model", "isolated",
         "--subnet", "10.123.231.0/24", "--dry-run"],
    ])
    func aCommandThatWaitsForNothingStartsNoThread(arguments: [String]) throws {
        let trace = NSTemporaryDirectory() + "vnt-threads-\(getpid())-\(UUID().uuidString).strace"
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let result = try Command.run(
            ["strace", "-f", "-qq", "-e", "trace=clone,clone3", "-o", trace, VNetCtlBinary.path] + arguments)
        #expect(result.status == 0, "\(result)")
        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("clone") }
        #expect(calls.isEmpty, "vnetctl \(arguments.joined(separator: " ")) started \(calls.count) threads, the first: \(calls.first ?? "")")
    }
}
