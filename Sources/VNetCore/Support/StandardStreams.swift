#if canImport(Glibc)
import Glibc
#endif

/// vnetctl's writes to stderr and its one read of stdin, straight on the file descriptors
/// (Foundation's `FileHandle` would link CoreFoundation for them).
public enum StandardStreams {
    /// Writes `text` to stderr, unbuffered and whole.
    public static func writeError(_ text: String) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            written += count
        }
    }

    /// Every byte on stdin up to its end (or up to a read error).
    public static func readInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// The first `count` bytes (or fewer) of the file at `path` and the file's size; nil when it cannot be opened.
    static func head(ofFile path: String, count: Int) -> (bytes: [UInt8], size: UInt64)? {
        let fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            filled += got
        }
        let size = lseek(fd, 0, SEEK_END)
        return (Array(bytes[..<filled]), size > 0 ? UInt64(size) : 0)
    }
}
