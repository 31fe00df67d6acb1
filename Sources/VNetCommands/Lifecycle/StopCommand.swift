import ArgumentParser
import VNetCore

/// `vnetctl stop network|vm NAME`.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a network, or shut down a VM (--force: power it off).",
        discussion: "Stopping a network cuts its running guests off until it starts again.")

    @Argument(help: "network or vm.")
    var kind: ObjectKind

    @Argument(help: "The network's or VM's name.")
    var name: String

    @Flag(help: "VMs: power off at once instead of asking the guest to shut down.")
    var force = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let connection = try global.connection()
        let action: String
        switch kind {
        case .network:
            let network = try LibvirtLookup.network(named: name, on: connection)
            try NetworkForwards.removeRules(of: network, on: connection)
            try network.stop()
            action = "stopped"
        case .vm:
            let domain = try LibvirtLookup.domain(named: name, on: connection)
            if force { try domain.destroy() } else { try domain.shutdown() }
            action = force ? "powered off" : "asked to shut down"
        }
        Output.emit(LifecycleReport(kind: kind, name: name, action: action), json: global.json) {
            "\(kind) \(name) \(action)"
        }
    }
}
