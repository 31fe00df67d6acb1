import Foundation

/// The `vnetctl` executable that `swift build` put beside the test bundle.
public enum VNetCtlBinary {
    public static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("vnetctl").path
    }

    /// Runs `vnetctl` with `arguments`; `LIBVIRT_DEFAULT_URI` is set only when `uri` is given.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try Command.run([path] + arguments, environment: environment)
    }
}
