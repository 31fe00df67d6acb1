import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Reads the files a user names (topology files, templates, XML to validate, Ansible arguments):
/// regular files only, of a bounded size, so that `/dev/zero`, a FIFO, a directory or a huge file
/// is refused at once instead of read without end.
public enum BoundedFile {
    /// What a file is for, with the most bytes vnetctl reads of it and the hint a refusal ends with.
    public struct Kind: Sendable {
        public var limit: Int
        public var hint: String
        /// Words before the path in messages (`template `), or "".
        public var label = ""

        /// Topology files (YAML or JSON): 4 MiB.
        public static let topology = Kind(limit: 4 << 20, hint: "give the path of a topology file (YAML or JSON)")
        /// Templates (Mustache): 1 MiB.
        public static let template = Kind(limit: 1 << 20, hint: "give the path of a readable template file", label: "template ")
        /// libvirt XML for `validate`: 8 MiB.
        public static let xml = Kind(limit: 8 << 20, hint: "give the path of a libvirt XML file")
        /// Ansible's file of module arguments (JSON): 4 MiB.
        public static let moduleArguments = Kind(limit: 4 << 20, hint: "give a file of JSON module arguments")
    }

    /// The bytes of the regular file at `path`; anything else, or more than `kind.limit` bytes, is
    /// invalid input that names the path, what it is, and `kind.hint`.
    public static func read(_ path: String, as kind: Kind) throws(VNetError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it has no effect on a regular file.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "does not exist" : "cannot be read (\(String(cString: strerror(errno))))"
            throw .invalidInput("\(kind.label)\(path) \(reason); \(kind.hint)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .invalidInput("\(kind.label)\(path) cannot be read (\(String(cString: strerror(errno)))); \(kind.hint)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .invalidInput("\(kind.label)\(path) is \(describe(info.st_mode)), not a regular file; \(kind.hint)")
        }
        guard info.st_size <= kind.limit else {
            throw tooLarge(path, "\(info.st_size) bytes", kind)
        }
        // Sized by fstat and grown only if the file grows meanwhile: a buffer of the whole limit
        // would put a megabyte of zeros in memory for a template of a few hundred bytes.
        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), kind.limit) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard count <= kind.limit else { break }
                bytes += [UInt8](repeating: 0, count: min(bytes.count, kind.limit + 1 - bytes.count))
            }
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .invalidInput("\(kind.label)\(path) cannot be read (\(String(cString: strerror(errno)))); \(kind.hint)")
            }
            if got == 0 { break }
            count += got
        }
        // The file may have grown since fstat.
        guard count <= kind.limit else { throw tooLarge(path, "more than \(kind.limit) bytes", kind) }
        return Array(bytes[..<count])
    }

    /// The file's text, decoded as UTF-8 (invalid sequences replaced).
    public static func text(_ path: String, as kind: Kind) throws(VNetError) -> String {
        String(decoding: try read(path, as: kind), as: UTF8.self)
    }

    private static func tooLarge(_ path: String, _ size: String, _ kind: Kind) -> VNetError {
        .invalidInput("\(kind.label)\(path) is \(size), more than the \(kind.limit >> 20) MiB vnetctl reads of such a file; \(kind.hint)")
    }

    private static func describe(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }
}
