import HostNet
import Libvirt

/// Carries out a `TopologyPlan`: networks first (created, or updated live), then VMs.
///
/// Refuses a plan that needs a network restart, before its first change.
public enum TopologyApplier {
    /// A plan that needs a network restarted (one made without `allowRestart`) is refused before
    /// its first change.
    /// `progress` hears, before each change, which object it is about (`network lab-nat`).
    public static func apply(
        _ plan: TopologyPlan, on connection: Connection, templates: TemplateLibrary,
        progress: (String) -> Void = { _ in }
    ) throws(VNetError) {
        if plan.needsRestart {
            let lines = plan.actions.filter { $0.outcome == .restartNeeded }.map(\.line)
            throw .invalidInput(
                "\(lines.joined(separator: "; ")); nothing was changed (such changes restart a network or recreate a VM: "
                    + "add --allow-restart)")
        }
        try HostLock.withLock { () throws(VNetError) in
            // Pruned VMs go first, so their reservations and NICs are gone before networks change.
            for case .remove(let domain) in plan.vmSteps {
                progress("removing vm \(domain.name)")
                try VMRemover.remove(domain, on: connection)
            }
            for step in plan.networkSteps {
                switch step {
                case .create(let definition, let autostart, let start):
                    progress("creating network \(definition.plan.name)")
                    try NetworkDefiner.define(definition, on: connection, autostart: autostart, start: start)
                case .sync(let sync):
                    progress("updating network \(sync.network.name)")
                    try run(sync, on: connection)
                case .restart(let network, let definition, let autostart, let reservations, let taps):
                    progress("restarting network \(network.name)")
                    try restart(network, as: definition, autostart: autostart, reservations: reservations, reattaching: taps,
                                on: connection)
                case .remove:
                    continue
                }
            }
            var inventory = plan.vmSteps.contains { if case .create = $0 { true } else { false } }
                ? try MACInventory.scan(connection) : MACInventory(uses: [])
            for step in plan.vmSteps {
                switch step {
                case .remove:
                    continue
                case .recreate(let domain, let spec, let start):
                    progress("recreating vm \(spec.name)")
                    try VMRemover.remove(domain, on: connection)
                    let definition = try VMDefiner.prepare(spec, on: connection, inventory: try MACInventory.scan(connection), templates: templates)
                    try VMDefiner.define(definition, on: connection, start: start)
                    for nic in definition.nics {
                        inventory.record(.init(mac: nic.mac, kind: .domainNIC, owner: spec.name, detail: nic.network.map { "network '\($0)'" }))
                    }
                case .create(let spec, let start):
                    progress("creating vm \(spec.name)")
                    let definition = try VMDefiner.prepare(spec, on: connection, inventory: inventory, templates: templates)
                    try VMDefiner.define(definition, on: connection, start: start)
                    for nic in definition.nics {
                        inventory.record(.init(mac: nic.mac, kind: .domainNIC, owner: spec.name, detail: nic.network.map { "network '\($0)'" }))
                    }
                case .start(let domain):
                    progress("starting vm \(domain.name)")
                    do {
                        try domain.start()
                    } catch {
                        throw VNetError.from(error)
                    }
                }
            }
            for case .remove(let network) in plan.networkSteps {
                progress("removing network \(network.name)")
                try NetworkRemover.remove(network, on: connection)
            }
        }
    }

    /// Stops and undefines the network, defines and starts its new config, then plugs the taps of
    /// the guests that ran on it into the new bridge (libvirt does not re-plug them itself).
    private static func restart(
        _ network: Network, as definition: NetworkDefinition, autostart: Bool, reservations: [NetworkSync.Update],
        reattaching taps: [String], on connection: Connection
    ) throws(VNetError) {
        try NetworkRemover.remove(network, on: connection)
        let started = try NetworkDefiner.define(definition, on: connection, autostart: autostart, start: true)
        try run(NetworkSync(network: started, updates: reservations, autostart: nil, start: false), on: connection)
        let bridge: String
        do {
            bridge = try started.bridgeName
        } catch {
            throw VNetError.from(error)
        }
        for tap in taps {
            do {
                try HostNetwork.enslave(tap, to: bridge)
            } catch {
                throw .failure(
                    "network '\(network.name)' restarted, but tap \(tap) could not rejoin bridge \(bridge): \(error); "
                        + "restart that guest's NIC (virsh domif-setlink) or the guest")
            }
        }
    }

    private static func run(_ sync: NetworkSync, on connection: Connection) throws(VNetError) {
        do {
            for update in sync.updates {
                try sync.network.update(update.command, update.section, xml: update.xml, flags: update.flags)
            }
            if let forwards = sync.forwards { try NetworkForwards.update(sync.network, to: forwards, on: connection) }
            if let autostart = sync.autostart { try sync.network.setAutostart(autostart) }
            if sync.start { try NetworkStarter.start(sync.network, on: connection) }
        } catch {
            throw .failure("updating network '\(sync.network.name)' failed: \(VNetError.from(error).message)")
        }
    }

    /// Plans `topology` and, unless `check`, carries the plan out: what `apply -f` and the Ansible
    /// module both do. The plan is returned for the report; with `check` it may need a restart.
    public static func converge(
        _ topology: Topology, on connection: Connection, check: Bool, prune: Bool, allowRestart: Bool,
        progress: (String) -> Void = { _ in }
    ) throws(VNetError) -> TopologyPlan {
        let templates = try TemplateLibrary.shipped()
        let plan = try TopologyPlanner.plan(topology, on: connection, templates: templates, prune: prune, allowRestart: allowRestart)
        if !check { try apply(plan, on: connection, templates: templates, progress: progress) }
        return plan
    }
}
