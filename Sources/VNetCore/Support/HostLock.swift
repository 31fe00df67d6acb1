import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock shared by every vnetctl process on the host, held while a command looks at
/// what is free (subnets, bridge names, MACs) and defines what it chose.
///
/// Without it, two processes could both see the same subnet or MAC as free and both take it.
/// The lock is `flock(2)` on `/run/vnetctl/lock`, in a directory of vnetctl's own that only root
/// may enter (made 0700 on first use), opened without following a symbolic link. Anything there
/// but a regular file owned by root with one link is refused, and so is a directory that others
/// may write. The holder writes its pid into the file; a process that waits says so on stderr,
/// naming that pid (at once on a terminal; for scripts, whose stderr is one error line, only once
/// it has waited 10 s), and gives up after the caller's ``Wait/timeout`` with a failure naming it again.
/// `VNETCTL_LOCK_FILE` puts the lock elsewhere (the same rules hold there).
public final class HostLock {
    public static let defaultPath = "/run/vnetctl/lock"
    /// How deep each thread is in nested ``withLock`` calls (threads that hold none are absent).
    private static let depths = Mutex<[pthread_t: Int]>([:])
    /// How long a command waits for a lock another process holds unless its caller says otherwise.
    public static let defaultTimeout: Duration = .seconds(30)
    /// Hears the note that a command waits for the lock, which asks for the wait's option as
    /// `OptionRemedy` does; each front end words the option its own way.
    public typealias WaitNote = (OptionRemedy) -> Void

    /// How a caller waits for a lock another process holds: at most `timeout` (a front end's
    /// lock-timeout option), telling `onWait` that it waits. A fleet's hosts may wait at once, so
    /// `onWait` may be called from several threads.
    public struct Wait: Sendable {
        public var timeout: Duration
        public var onWait: @Sendable (OptionRemedy) -> Void

        public init(
            timeout: Duration = HostLock.defaultTimeout,
            onWait: @escaping @Sendable (OptionRemedy) -> Void = HostLock.reportOnStandardError
        ) {
            self.timeout = timeout
            self.onWait = onWait
        }

        /// The timeouts a front end takes, in seconds: none up to a day.
        public static let secondsRange: ClosedRange<Double> = 0...86_400

        /// A wait of `seconds` as a user gives it (in ``secondsRange``), the default timeout when nil.
        public init(seconds: Double?, onWait: @escaping @Sendable (OptionRemedy) -> Void = HostLock.reportOnStandardError) {
            self.init(timeout: seconds.map { .milliseconds(Int64($0 * 1000)) } ?? HostLock.defaultTimeout, onWait: onWait)
        }
    }

    /// The lock file in use: `VNETCTL_LOCK_FILE`, else `defaultPath`.
    public static var path: String {
        Environment.value("VNETCTL_LOCK_FILE").flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
    }

    private let descriptor: Int32

    /// Blocks until the lock is held, or throws when `timeout` passes first. `onWait` hears, once
    /// per holder, that the lock is busy and who holds it, after the lock was busy for `quietFor`.
    public init(
        path: String = HostLock.path, timeout: Duration = HostLock.defaultTimeout,
        quietFor: Duration = isatty(STDERR_FILENO) == 1 ? .zero : .seconds(10),
        onWait: WaitNote = HostLock.reportOnStandardError
    ) throws(VNetError) {
        let fd = try Self.open(path)
        let clock = ContinuousClock()
        let start = clock.now, deadline = start.advanced(by: timeout)
        var reported: String?
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw .failure("cannot lock \(path): \(reason)")
            }
            let holder = Self.holder(fd)
            guard clock.now < deadline else {
                close(fd)
                throw .asking(
                    .failure,
                    "the host lock \(path) is still held by \(holder) after \(timeout.seconds); wait for it to finish, "
                        + "give more time with ",
                    for: .lockTimeout, then: ", or end that process if it hangs")
            }
            if reported != holder, clock.now - start >= quietFor {
                let note = OptionRemedy(
                    before: "waiting for the host lock \(path), held by \(holder) (at most \(timeout.seconds), ", option: .lockTimeout,
                    after: ")")
                onWait(note)
                reported = holder
            }
            usleep(20_000)
        }
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) != 0 || pwrite(fd, pid, pid.count, 0) != pid.count {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .failure("cannot write the holder's pid into the host lock \(path): \(reason)")
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Runs `body` with the lock held, waiting for it as `wait` says. Nested calls on one thread
    /// share the outer call's lock (`flock` would make a second open of the file wait for the first).
    public static func withLock<T>(
        _ wait: Wait = Wait(), _ body: () throws(VNetError) -> T
    ) throws(VNetError) -> T {
        try withLock(wait, path: path, body)
    }

    /// ``withLock(_:_:)`` on the lock file at `path`: tests wait on a lock of their own, not the
    /// one every vnetctl process beside them shares.
    static func withLock<T>(
        _ wait: Wait, path: String, _ body: () throws(VNetError) -> T
    ) throws(VNetError) -> T {
        let thread = pthread_self()
        let depth = depths.withLock { $0[thread, default: 0] }
        depths.withLock { $0[thread] = depth + 1 }
        defer { depths.withLock { $0[thread] = depth == 0 ? nil : depth } }
        guard depth == 0 else { return try body() }
        let lock = try HostLock(path: path, timeout: wait.timeout, onWait: wait.onWait)
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }

    /// Writes the note to stderr as vnetctl's other messages are written, the option by its neutral name.
    public static func reportOnStandardError(_ note: OptionRemedy) {
        StandardStreams.writeError("vnetctl: \(note.worded(by: SpecFieldNames(names: [:])))\n")
    }

    /// Opens the lock file after checking its directory, creating both where missing; refuses
    /// anything that could let another user steer or block root.
    private static func open(_ path: String) throws(VNetError) -> Int32 {
        let directory = (path as NSString).deletingLastPathComponent
        if directory == (defaultPath as NSString).deletingLastPathComponent { _ = mkdir(directory, 0o700) }
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            throw .failure("cannot use the lock directory \(directory): \(String(cString: strerror(errno))); run as root")
        }
        guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == 0, info.st_mode & 0o022 == 0 else {
            throw .failure(
                "the lock directory \(directory) must be a directory owned by root that no one else may write "
                    + "(it is \(describe(info))); remove it and let vnetctl make it (mode 0700)")
        }
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ELOOP:
                throw .failure("the host lock \(path) is a symbolic link, which vnetctl never follows; remove it (rm \(path))")
            case EISDIR:
                throw .failure("the host lock \(path) is a directory, not a file; remove it (rmdir \(path))")
            case EACCES, EPERM:
                throw .failure("cannot open the host lock \(path): \(String(cString: strerror(code))); run as root")
            default:
                throw .failure("cannot open the host lock \(path): \(String(cString: strerror(code)))")
            }
        }
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == 0, info.st_nlink == 1 else {
            close(fd)
            throw .failure(
                "the host lock \(path) must be a regular file owned by root with one link (it is \(describe(info))); "
                    + "remove it (rm \(path))")
        }
        return fd
    }

    /// `pid N` as the holder wrote it into the file, or a phrase saying it is not known yet.
    private static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        guard let pid = Int32(text.trimmingWhitespaceAndNewlines()), pid > 0 else {
            return "another process (its pid not written yet)"
        }
        return "pid \(pid)"
    }

    /// A file's type, owner, mode and link count, for a refusal.
    private static func describe(_ info: stat) -> String {
        let type: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: type = "a file"
        case S_IFDIR: type = "a directory"
        case S_IFLNK: type = "a symbolic link"
        case S_IFIFO: type = "a FIFO"
        case S_IFSOCK: type = "a socket"
        default: type = "a device"
        }
        return "\(type) of uid \(info.st_uid), mode \(String(info.st_mode & 0o7777, radix: 8)), \(info.st_nlink) link(s)"
    }
}

extension Duration {
    /// `30s`, `0.5s`: whole or fractional seconds, for messages.
    fileprivate var seconds: String {
        let (whole, attoseconds) = components
        let fraction = Double(attoseconds) / 1e18
        return fraction == 0 ? "\(whole)s" : "\(Double(whole) + fraction)s"
    }
}
