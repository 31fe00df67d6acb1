import Dispatch
import Synchronization

/// Runs async work to its end from synchronous code: the work runs on Swift's global executor
/// while the calling thread waits for it.
///
/// Commands run synchronously on the main thread, so a command that does not wait for events
/// starts none of the threads Swift's concurrency runtime brings up on first use (1.5–2.5 ms of
/// CPU and about 1 ms of wall time of every short command, docs/benchmarks.md); a command that
/// does wait (`define vm --wait-ip`) starts them here.
enum BlockingWait {
    static func run<Value: Sendable>(_ work: sending @escaping () async throws -> Value) throws -> Value {
        let outcome = Outcome<Value>()
        Task.detached {
            let result: Result<Value, any Error>
            do {
                result = .success(try await work())
            } catch {
                result = .failure(error)
            }
            outcome.finish(result)
        }
        return try outcome.wait().get()
    }

    /// The result of the work, and the wait for it.
    private final class Outcome<Value: Sendable>: Sendable {
        private let result = Mutex<Result<Value, any Error>?>(nil)
        private let finished = DispatchSemaphore(value: 0)

        func finish(_ value: sending Result<Value, any Error>) {
            result.withLock { $0 = value }
            finished.signal()
        }

        func wait() -> Result<Value, any Error> {
            finished.wait()
            return result.withLock { $0.take()! }
        }
    }
}
