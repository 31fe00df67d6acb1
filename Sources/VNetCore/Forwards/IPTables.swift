import Foundation

/// Runs the `iptables` command the way libvirt 9.0 does (`iptables -w …`, iptables-nft on Debian 12).
///
/// vnetctl never shells out to virsh or ip; this type is the one accepted exception. libvirt 9.0
/// writes its own firewall rules by running this very command, and rules made any other way
/// (another nftables table, or native nft rules in iptables' tables) either cannot override
/// libvirt's reject of inbound connections or make `iptables-save` call the tables incompatible.
public struct IPTables: Sendable {
    /// The command's path.
    public var path: String

    /// The first of `/usr/sbin/iptables` and `/sbin/iptables` that exists.
    public init() {
        path = ["/usr/sbin/iptables", "/sbin/iptables"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/sbin/iptables"
    }

    /// A finished run: exit status and output.
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `iptables -w ARGUMENTS` and returns what it printed; a failure names the command.
    @discardableResult
    func run(_ arguments: [String]) throws(VNetError) -> String {
        let result = try attempt(arguments)
        guard result.status == 0 else {
            let reason = result.error.trimmingWhitespaceAndNewlines()
            throw .failure("iptables -w \(arguments.joined(separator: " ")) failed: \(reason.isEmpty ? "exit \(result.status)" : reason)")
        }
        return result.output
    }

    /// Runs `iptables -w ARGUMENTS`, a non-zero exit included (as when a chain does not exist).
    func attempt(_ arguments: [String]) throws(VNetError) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-w"] + arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .failure("cannot run \(path): \(error.localizedDescription); install the iptables package")
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                      error: String(decoding: err, as: UTF8.self))
    }
}
