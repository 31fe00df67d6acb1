import ArgumentParser
import VNetCore

/// `vnetctl stop network|vm NAME`.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a network, or shut down a VM (--force: power it off).",
        discussion: """
            Stopping a network cuts its running guests off until it starts again, so a network that a running \
            VM has a NIC on is refused (exit 2, the VMs named) unless --force is given.
            """)

    @Argument(help: "network or vm.")
    var kind: ObjectKind

    @Argument(help: "The network's or VM's name.", completion: Completions.objects)
    var name: String

    @Flag(help: "VMs: power off at once instead of asking the guest to shut down. Networks: stop even while running VMs use it.")
    var force = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let connection = try global.connection()
        let action: String
        switch kind {
        case .network:
            let network = try LibvirtLookup.network(named: name, on: connection)
            if !force { try NetworkUsers.refuseWhileInUse(network, action: "stop", on: connection) }
            try NetworkForwards.removeRules(of: network, on: connection, firewall: global.firewall)
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
