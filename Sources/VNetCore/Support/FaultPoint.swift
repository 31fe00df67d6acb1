import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A test hook at the step boundaries of multi-step changes: with `VNETCTL_FAULT_AFTER_STEP=N` in
/// its environment, vnetctl kills itself with SIGKILL right after the Nth step it completes.
///
/// A kill walk runs a command with N = 1, 2, … until it finishes unkilled, and checks after each
/// kill that running the command again converges. Before the kill, one line on stderr names the
/// step. Without the variable a step costs one comparison.
public enum FaultPoint {
    private static let limit = Environment.value("VNETCTL_FAULT_AFTER_STEP").flatMap(Int.init)
    private static let passed = Mutex(0)

    /// Marks the end of one step, which `step` names.
    public static func reached(_ step: @autoclosure () -> String) {
        guard let limit else { return }
        let count = passed.withLock { count in
            count += 1
            return count
        }
        guard count == limit else { return }
        StandardStreams.writeError("vnetctl: VNETCTL_FAULT_AFTER_STEP=\(count): killed after \(step())\n")
        kill(getpid(), SIGKILL)
    }
}
