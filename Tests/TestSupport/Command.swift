import Foundation

/// The outcome of a finished process: exit status and everything it printed.
public struct CommandResult: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs programs to completion and captures their output, for tests that check through real tools.
public enum Command {
    /// Runs `arguments[0]` (looked up in PATH unless it is a path) with the rest as its arguments.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        // Output goes to files, not pipes, so a chatty child never blocks on a full pipe.
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("vnet-test-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent("vnet-test-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Runs the command and returns its stdout, failing when it exits non-zero.
    @discardableResult
    public static func output(_ arguments: [String]) throws -> String {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw CommandFailure(arguments: arguments, result: result)
        }
        return result.stdout
    }
}

/// A command that exited non-zero where the test needed it to succeed.
public struct CommandFailure: Error, CustomStringConvertible {
    public var arguments: [String]
    public var result: CommandResult
    public var description: String { "\(arguments.joined(separator: " ")) failed: \(result)" }
}
