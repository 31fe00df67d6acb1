import FoundationEssentials
import VNetCore

/// Prints a failed command's error: one line on stderr, or with `--json` a JSON object on stdout
/// alone, so a script reads one stream.
enum ErrorReport {
    private struct Body: Encodable {
        struct Detail: Encodable {
            var kind: String
            var message: String
            var exitCode: Int32
        }
        var error: Detail
    }

    static func emit(_ error: VNetError, json: Bool) {
        let message = error.commandLineMessage
        if json {
            let kind = error.kind == .invalidInput ? "invalid-input" : "failure"
            Output.printJSON(Body(error: .init(kind: kind, message: message, exitCode: error.exitCode)))
        } else {
            StandardStreams.writeError("vnetctl: \(message)\n")
        }
    }

    /// Prints on stderr the note that the command waits for the host lock, its option by its flag.
    static func lockWait(_ note: OptionRemedy) {
        StandardStreams.writeError("vnetctl: \(note.worded(by: .commandLine))\n")
    }
}

extension SpecFieldNames {
    /// The command line's names: each field by the flag that sets it, each action by the vnetctl
    /// command that runs it.
    static let commandLine = SpecFieldNames(
        names: [
            .mtu: "--mtu", .subnet: "--subnet", .subnetPool: "--subnet-pool", .ipv6: "--ipv6", .dhcpRange: "--dhcp-range",
            .dhcpHost: "--host", .noDHCP: "--no-dhcp", .noHostIP: "--no-host-ip", .domain: "--domain", .bridge: "--bridge",
            .uplink: "--uplink", .createBridge: "--create-bridge", .memory: "--memory", .vcpus: "--vcpus", .nic: "--network",
            .macSeed: "--mac-seed", .setting: "--set",
        ],
        options: [
            .allowRestart: "add --allow-restart", .force: "add --force", .lockTimeout: "--lock-timeout", .host: "--host",
            .applyOnHost: "vnetctl apply -f FILE --host", .teardownOnHost: "vnetctl teardown -f FILE --host",
            .qemuVirtType: "--set virtType=qemu",
        ],
        actions: [
            .init(.list): "vnetctl list", .init(.list, .network): "vnetctl list networks", .init(.list, .vm): "vnetctl list vms",
            .init(.undefine, .network): "vnetctl undefine network", .init(.undefine, .vm): "vnetctl undefine vm",
            .init(.start, .vm): "vnetctl start vm", .init(.stop, .vm): "vnetctl stop vm",
            .init(.create, .hostBridge): "vnetctl host-bridge create", .init(.delete, .hostBridge): "vnetctl host-bridge delete",
            .init(.list, .hostBridge): "vnetctl host-bridge list", .init(.apply): "vnetctl apply", .init(.run): "run vnetctl",
        ])
}

extension VNetError {
    /// The exit code of docs/design.md's contract: 2 for invalid input, 1 for a libvirt or host failure.
    var exitCode: Int32 { kind == .invalidInput ? 2 : 1 }

    /// The message as the command line words it: a field by its flag, an operation option asked
    /// for by its flag, an action by its command. A field's message a topology file placed already
    /// names the file's line and key.
    var commandLineMessage: String { entry == nil || hasRemedy ? worded(by: .commandLine) : message }
}
