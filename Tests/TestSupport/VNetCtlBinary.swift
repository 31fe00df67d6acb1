import Foundation

/// The `vnetctl` executable that `swift build` put beside the test bundle.
public enum VNetCtlBinary {
    public static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("vnetctl").path
    }

    /// Runs `vnetctl` with `arguments`; `LIBVIRT_DEFAULT_URI` is set only when `uri` is given.
    ///
    /// Lines saying that it waits for the host's lock at its default path are taken out of stderr:
    /// the tests running beside this one hold that lock, so whether they appear is the test run's
    /// doing, not the command's. Tests of the wait note give the lock a path of their own.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        var result = try Command.run([path] + arguments, environment: environment)
        let note = "vnetctl: waiting for the host lock \(HostLockPath.shared), "
        if result.stderr.contains(note) {
            result.stderr = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix(note) }.joined(separator: "\n")
        }
        return result
    }
}

/// The host lock every test's vnetctl shares (vnetctl's default, unless this process was given another).
enum HostLockPath {
    static var shared: String {
        ProcessInfo.processInfo.environment["VNETCTL_LOCK_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "/run/vnetctl/lock"
    }
}
