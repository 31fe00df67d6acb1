import Foundation

/// Runs iproute2's `ip`, which the tests use to make and inspect their own objects.
enum IPCommand {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One link as `ip -j link show` prints it.
    struct Link: Decodable {
        var ifindex: Int
        var ifname: String
        var address: String?
    }

    /// Runs `ip ARGUMENTS` and returns its standard output; throws with its standard error if it fails.
    @discardableResult
    static func run(_ arguments: String...) throws -> Data {
        try run(arguments)
    }

    /// Every link of the calling process's network namespace.
    static func links() throws -> [Link] {
        try JSONDecoder().decode([Link].self, from: run(["-j", "link", "show"]))
    }

    /// A fresh name for a test object: `prefix` followed by `hexDigits` random hex digits.
    static func uniqueName(_ prefix: String, hexDigits: Int) -> String {
        prefix + (0..<hexDigits).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
    }

    /// Runs `ip ARGUMENTS` as ``run(_:)-(String...)`` does, with the arguments in an array.
    @discardableResult
    static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self)
            throw Failure(description: "ip \(arguments.joined(separator: " ")): \(text)")
        }
        return data
    }
}
