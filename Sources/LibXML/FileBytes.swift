#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Reads a whole file, reporting failures as `XMLError`s that name the path and the system's reason.
enum FileBytes {
    static func read(_ path: String) throws(XMLError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw failure(path, errno)
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes.append(contentsOf: chunk[..<count])
            if count < chunk.count {
                if ferror(file) != 0 {
                    throw failure(path, errno)
                }
                return bytes
            }
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> XMLError {
        XMLError(source: path, message: "cannot read the file: \(String(cString: strerror(code)))")
    }
}
