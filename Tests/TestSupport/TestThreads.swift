import Foundation
import Testing

/// Runs each test of a suite on ``TestThreads``, threads of the tests' own, rather than on Swift's
/// cooperative pool.
///
/// The pool has one thread per core, and these tests block theirs: they wait for processes,
/// daemons and guests, and poll with sleeps. On two cores only two of them ran at once while the
/// machine stood idle. A suite trait, applied to every test below it.
public struct OnTestThreads: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// Scopes test cases only: a suite's own scope would put its tests' tasks there too, but
    /// each test case sets its preference itself.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(TestThreads.shared) { try await function() }
    }
}

extension Trait where Self == OnTestThreads {
    /// Runs the suite's tests on ``TestThreads``, so that tests which block do not hold back others.
    public static var onTestThreads: Self { OnTestThreads() }
}

/// A fixed set of threads that run test jobs in the order they come: `VNETCTL_TEST_THREADS` of
/// them, 2 unless set. It bounds how many blocking tests run at once, as the cooperative pool did,
/// but by what this machine can carry rather than by its cores.
public final class TestThreads: TaskExecutor, @unchecked Sendable {
    public static let shared = TestThreads(
        count: ProcessInfo.processInfo.environment["VNETCTL_TEST_THREADS"].flatMap { Int($0) }.map { max($0, 1) } ?? 2)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(count: Int) {
        for _ in 0..<count {
            Thread.detachNewThread { [self] in run() }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
