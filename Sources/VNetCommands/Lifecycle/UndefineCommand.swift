import ArgumentParser
import VNetCore

/// `vnetctl undefine network|vm NAME [--force]`: refuses to cut off or power off a running guest unless forced.
struct UndefineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undefine",
        abstract: "Undefine a network or VM (with the VM's address reservations and disk overlay).",
        discussion: """
            A network that a running VM has a NIC on, and a running VM, are refused (exit 2) unless --force \
            is given: then the network is stopped under its guests, or the VM powered off, and undefined.
            """)

    @Argument(help: "network or vm.")
    var kind: ObjectKind

    @Argument(help: "The network's or VM's name.", completion: Completions.objects)
    var name: String

    @Flag(help: "Also undefine a network running VMs use (they lose their link), or power off a running VM first.")
    var force = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let connection = try global.connection()
        switch kind {
        case .network:
            let network = try LibvirtLookup.network(named: name, on: connection)
            if !force { try NetworkUsers.refuseWhileInUse(network, action: "undefine", on: connection) }
            try NetworkRemover.remove(network, on: connection, firewall: global.firewall)
        case .vm:
            guard try LibvirtLookup.existingDomain(named: name, on: connection) != nil else {
                // A define that was cut off may have left reservations naming the VM: release those.
                let released = try ReservationAdoption.releaseOrphans(
                    of: name, on: connection, lockWait: global.lockWait)
                if released.isEmpty {
                    throw VNetError.invalidInput("no VM named '\(name)'; 'vnetctl list vms' shows what exists")
                }
                Output.emit(LifecycleReport(kind: kind, name: name, action: "released \(released.count) orphaned reservation(s)"),
                            json: global.json) {
                    "no vm \(name); released the reservation(s) a cut-off define left for it: \(released.joined(separator: ", "))"
                }
                return
            }
            let domain = try LibvirtLookup.domain(named: name, on: connection)
            if !force { try VMRemover.refuseWhileRunning(domain) }
            try VMRemover.remove(domain, on: connection)
        }
        Output.emit(LifecycleReport(kind: kind, name: name, action: "undefined"), json: global.json) {
            "undefined \(kind) \(name)"
        }
    }
}
