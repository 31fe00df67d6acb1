import Foundation

/// Runs code with a thread's network namespace switched to a named one (`ip netns add NAME`).
enum NetworkNamespace {
    private final class Outcome<T>: @unchecked Sendable {
        // Written by the worker thread before it signals, read by the caller after it waits.
        var result: Result<T, any Error>?
    }

    /// Calls `body` on a new thread that has joined namespace `name`, and returns its result.
    ///
    /// Only the network namespace of that thread changes (the mount namespace does not, so `/sys`
    /// still shows the caller's). The thread ends with `body`, so nothing else ever runs in it.
    static func run<T>(in name: String, _ body: @escaping @Sendable () throws -> T) throws -> T {
        // Glibc's Swift overlay does not import setns(2), so it is looked up at run time.
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "setns") else {
            throw IPCommand.Failure(description: "setns is not available")
        }
        let setns = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let cloneNewNet: Int32 = 0x4000_0000
        let fd = open("/run/netns/\(name)", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IPCommand.Failure(description: "cannot open namespace \(name)") }
        defer { close(fd) }

        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            if setns(fd, cloneNewNet) == 0 {
                outcome.result = Result(catching: body)
            } else {
                outcome.result = .failure(IPCommand.Failure(description: "setns \(name): errno \(errno)"))
            }
            done.signal()
        }
        thread.start()
        done.wait()
        return try outcome.result!.get()
    }
}
