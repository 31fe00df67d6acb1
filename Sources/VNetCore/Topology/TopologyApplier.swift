import HostNet
import Libvirt

/// Carries out a `TopologyPlan`: networks first (created, or updated live), then VMs.
///
/// Refuses a plan that needs a network restart, before its first change.
public enum TopologyApplier {
    /// A plan that needs a network restarted (one made without `allowRestart`) is refused before
    /// its first change.
    /// `progress` hears, before each change, its number, the plan's `stepCount` and which object
    /// it is about (`2, 5, "creating network lab-nat"`).
    ///
    /// The caller holds the `HostLock` since it read `inventory`, the one the plan was made from.
    /// `foreignMACs` are taken besides the inventory's: in a fleet, the other hosts' MACs.
    ///
    /// Last, when the plan needs it and the host is this machine, the libvirt network hook is
    /// installed; the notes returned are what the user must know about it. `lockWait` is how the
    /// firewall lock is waited for while forwards change.
    @discardableResult
    public static func apply(
        _ plan: TopologyPlan, inventory: Inventory, on connection: Connection, templates: TemplateLibrary,
        foreignMACs: [MACInventory.Use] = [], lockWait: HostLock.Wait = HostLock.Wait(),
        progress: (_ step: Int, _ of: Int, _ object: String) -> Void = { _, _, _ in }
    ) throws(VNetError) -> [String] {
        if plan.needsRestart {
            let lines = plan.actions.filter { $0.outcome == .restartNeeded }.map(\.line)
            throw .asking(
                .invalidInput,
                "\(lines.joined(separator: "; ")); nothing was changed (such changes restart a network or recreate a VM: ",
                for: .allowRestart, then: ")")
        }
        if !plan.hostBridges.isEmpty { try HostBridgeSetup.requireRoot() }
        var done = 0
        func announce(_ object: String) {
            done += 1
            progress(done, plan.stepCount, object)
        }
        let firewall = NetworkForwards.Firewall(isThisMachine: inventory.host.isThisMachine, lockWait: lockWait)
        do {
            var inventory = inventory
            // Pruned VMs go first, so their reservations and NICs are gone before networks change.
            for case .remove(let domain) in plan.vmSteps {
                announce("removing vm \(domain.name)")
                try VMRemover.remove(domain, on: connection)
            }
            for bridge in plan.hostBridges {
                announce("creating host bridge \(bridge.name)")
                try HostBridgeSetup.create(bridge)
            }
            for overlay in plan.overlays where !overlay.steps.isEmpty {
                announce("linking overlay network \(overlay.network)")
                try OverlayLinks.converge(overlay)
            }
            for step in plan.networkSteps {
                switch step {
                case .create(let definition, let autostart, let start):
                    announce("creating network \(definition.plan.name)")
                    try NetworkDefiner.define(definition, on: connection, autostart: autostart, start: start, firewall: firewall)
                case .sync(let sync):
                    announce("updating network \(sync.network.name)")
                    try run(sync, on: connection, firewall: firewall)
                case .restart(let network, let definition, let autostart, let reservations, let taps):
                    announce("restarting network \(network.name)")
                    try restart(network, as: definition, autostart: autostart, reservations: reservations, reattaching: taps,
                                on: connection, firewall: firewall)
                case .remove:
                    continue
                }
            }
            // A gateway's VXLAN link joins the bridge libvirt made when it started the network.
            for overlay in plan.overlays where !overlay.links.ownsBridge { try OverlayLinks.converge(overlay) }
            // The networks changed above are read again, once, for the VMs' reservations.
            let touched = Set(plan.networkSteps.compactMap { step -> String? in
                switch step {
                case .create(let definition, _, _): definition.plan.name
                case .sync(let sync): sync.network.name
                case .restart(let network, _, _, _, _): network.name
                case .remove: nil
                }
            })
            let needsNetworks = plan.vmSteps.contains { step in
                switch step {
                case .create, .recreate: true
                case .start, .remove: false
                }
            }
            if needsNetworks { try inventory.reread(networks: touched, on: connection) }
            var macs = MACInventory(inventory).adding(foreignMACs)
            for step in plan.vmSteps {
                switch step {
                case .remove:
                    continue
                case .recreate(let domain, let spec, let start):
                    announce("recreating vm \(spec.name)")
                    try VMRemover.remove(domain, on: connection)
                    // Its MACs and reservations are free again; its networks lost those reservations.
                    macs.forget(vm: spec.name)
                    inventory.forget(domain: spec.name)
                    try inventory.reread(networks: Set(spec.nics.compactMap(\.network)), on: connection)
                    let definition = try VMDefiner.prepare(spec, inventory: inventory, macs: macs, templates: templates)
                    try VMDefiner.define(definition, inventory: inventory, on: connection, start: start)
                    for nic in definition.nics {
                        macs.record(.init(mac: nic.mac, kind: .domainNIC, owner: spec.name, detail: nic.network.map { "network '\($0)'" }))
                    }
                case .create(let spec, let start):
                    announce("creating vm \(spec.name)")
                    let definition = try VMDefiner.prepare(spec, inventory: inventory, macs: macs, templates: templates)
                    try VMDefiner.define(definition, inventory: inventory, on: connection, start: start)
                    for nic in definition.nics {
                        macs.record(.init(mac: nic.mac, kind: .domainNIC, owner: spec.name, detail: nic.network.map { "network '\($0)'" }))
                    }
                    // Its reservations are now in its networks: the next VM must see them.
                    if definition.nics.contains(where: { $0.ip != nil }) {
                        try inventory.reread(networks: Set(definition.nics.filter { $0.ip != nil }.compactMap(\.network)), on: connection)
                    }
                case .start(let domain):
                    announce("starting vm \(domain.name)")
                    do {
                        try domain.start()
                    } catch {
                        throw VNetError.from(error)
                    }
                }
            }
            for case .remove(let network) in plan.networkSteps {
                announce("removing network \(network.name)")
                try NetworkRemover.remove(network, on: connection, firewall: firewall)
            }
            for removal in plan.overlayRemovals {
                announce("unlinking overlay network \(removal.network)")
                try OverlayLinks.remove(removal)
            }
        }
        guard plan.needsHook, let note = ForwardHook.installNote(for: connection, isThisMachine: inventory.host.isThisMachine) else { return [] }
        return [note]
    }

    /// Stops and undefines the network, defines and starts its new config, then plugs the taps of
    /// the guests that ran on it into the new bridge (libvirt does not re-plug them itself).
    private static func restart(
        _ network: Network, as definition: NetworkDefinition, autostart: Bool, reservations: [NetworkSync.Update],
        reattaching taps: [String], on connection: Connection, firewall: NetworkForwards.Firewall
    ) throws(VNetError) {
        try NetworkRemover.remove(network, on: connection, firewall: firewall)
        let started = try NetworkDefiner.define(definition, on: connection, autostart: autostart, start: true, firewall: firewall)
        FaultPoint.reached("starting network '\(network.name)'")
        try run(NetworkSync(network: started, updates: reservations, autostart: nil, start: false), on: connection, firewall: firewall)
        try plug(taps, into: started)
    }

    /// Plugs running guests' taps into the network's bridge.
    private static func plug(_ taps: [String], into network: Network) throws(VNetError) {
        guard !taps.isEmpty else { return }
        let bridge: String
        do {
            bridge = try network.bridgeName
        } catch {
            throw VNetError.from(error)
        }
        for tap in taps {
            do {
                try HostNetwork.enslave(tap, to: bridge)
            } catch {
                throw .failure(
                    "network '\(network.name)' runs, but tap \(tap) could not rejoin bridge \(bridge): \(error); "
                        + "restart that guest's NIC (virsh domif-setlink) or the guest")
            }
        }
    }

    private static func run(_ sync: NetworkSync, on connection: Connection, firewall: NetworkForwards.Firewall) throws(VNetError) {
        do {
            for update in sync.updates {
                try sync.network.update(update.command, update.section, xml: update.xml, flags: update.flags)
            }
            if let forwards = sync.forwards { try NetworkForwards.update(sync.network, to: forwards, on: connection, firewall: firewall) }
            if let autostart = sync.autostart { try sync.network.setAutostart(autostart) }
            if sync.start { try NetworkStarter.start(sync.network, on: connection, firewall: firewall) }
        } catch {
            throw .wrapping(VNetError.from(error), .failure, "updating network '\(sync.network.name)' failed: ")
        }
        try plug(sync.taps, into: sync.network)
    }

    /// Reads the inventory, plans `topology` from it and, unless `check`, carries the plan out:
    /// what `apply -f` and the Ansible module both do. The plan is returned for the report; with
    /// `check` it may need a restart.
    ///
    /// Unless `check`, the host lock is taken before the inventory is read and held to the last
    /// change, so that the subnets, bridges and MACs the plan chose stay free; `lockWait` says how long it waits
    /// for the lock and who hears that it does.
    public static func converge(
        _ topology: Topology, on connection: Connection, check: Bool, prune: Bool, allowRestart: Bool,
        lockWait: HostLock.Wait = HostLock.Wait(),
        progress: (_ step: Int, _ of: Int, _ object: String) -> Void = { _, _, _ in }
    ) throws(VNetError) -> TopologyPlan {
        let templates = try TemplateLibrary.shipped()
        func planAndApply() throws(VNetError) -> TopologyPlan {
            let inventory = try Inventory.read(connection, TopologyPlanner.scope(of: topology))
            var plan = try TopologyPlanner.plan(
                topology, inventory: inventory, templates: templates, prune: prune, allowRestart: allowRestart)
            if !check {
                plan.notes = try apply(
                    plan, inventory: inventory, on: connection, templates: templates, lockWait: lockWait, progress: progress)
            }
            return plan
        }
        return check ? try planAndApply() : try HostLock.withLock(lockWait, planAndApply)
    }
}
