import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock shared by every vnetctl process on the host, held while a command looks at
/// what is free (subnets, bridge names, MACs) and defines what it chose.
///
/// Without it, two processes could both see the same subnet or MAC as free and both take it.
/// The lock is `flock(2)` on a file under /run/lock, released when the holder exits or closes it.
public final class HostLock {
    public static let defaultPath = "/run/lock/vnetctl.lock"
    private let descriptor: Int32

    /// Blocks until the lock is held.
    public init(path: String = defaultPath) throws(VNetError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .failure("cannot open lock file \(path): \(String(cString: strerror(errno))); run as root")
        }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw .failure("cannot lock \(path): \(reason)")
            }
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Runs `body` with the lock held.
    public static func withLock<T>(_ body: () throws(VNetError) -> T) throws(VNetError) -> T {
        let lock = try HostLock()
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }
}
