import HostNet
import Libvirt

/// Removes what a topology made, and nothing else: VMs first (with their reservations), then networks.
///
/// An object the file names counts as the topology's when vnetctl's metadata in its XML records
/// that topology's name (as `apply` writes it, and `apply --prune` reads it). Others of the same
/// name, and networks a running VM that stays still uses, are left alone and listed, unless forced.
public enum TopologyTeardown {
    /// What a teardown removes, in order, and the report of every object the file names that exists.
    public struct Plan: Sendable {
        /// One action per existing object the file names: `removed` or `left alone`, with why.
        public var actions: [TopologyAction]
        var vms: [Domain]
        var networks: [Network]
        /// The links of this host's parts of overlay networks, removed after the networks.
        var overlayLinks: [PlannedOverlay] = []
    }

    /// Plans the teardown and, unless `check`, carries it out under the host lock; the actions
    /// are the same either way. `force` removes objects that are not the topology's, and networks in use;
    /// `lockWait` says how long it waits for the lock and who hears that it does.
    public static func teardown(
        _ topology: Topology, on connection: Connection, force: Bool = false, check: Bool = false,
        lockWait: HostLock.Wait = HostLock.Wait()
    ) throws(VNetError) -> [TopologyAction] {
        if check { return try plan(topology, on: connection, force: force).actions }
        return try HostLock.withLock(lockWait) { () throws(VNetError) in
            let plan = try plan(topology, on: connection, force: force)
            try execute(plan, on: connection, lockWait: lockWait)
            return plan.actions
        }
    }

    /// Decides, for every object the file names, whether it goes; objects that do not exist are skipped.
    public static func plan(_ topology: Topology, on connection: Connection, force: Bool) throws(VNetError) -> Plan {
        let overlays = topology.networks.contains { $0.overlayLinks != nil }
        let inventory = try Inventory.read(connection, overlays ? .all : [.networks, .domains])
        var plan = plan(topology, inventory: inventory, force: force)
        try OverlayLinks.planRemoval(topology, host: inventory.host, into: &plan)
        return plan
    }

    /// The same decision from an inventory already read: what runs now is what counts.
    static func plan(_ topology: Topology, inventory: Inventory, force: Bool) -> Plan {
        var plan = Plan(actions: [], vms: [], networks: [])
        for entry in topology.vms {
            guard let domain = inventory.domain(named: entry.spec.name) else { continue }
            let reason = foreignReason(topology, topologyOfOwner: domain.current.metadata.map { $0.topology ?? "" })
            plan.add(.vm, entry.spec.name, reasons: reason.map { [$0] } ?? [], force: force)
            if reason == nil || force { plan.vms.append(domain.domain) }
        }
        let removedVMs = Set(plan.vms.map(\.name))
        for entry in topology.networks {
            guard let network = inventory.network(named: entry.spec.name) else { continue }
            var reasons = foreignReason(topology, topologyOfOwner: network.current.metadata.map { $0.topology ?? "" })
                .map { [$0] } ?? []
            let users = NetworkUsers.runningVMs(on: network.name, config: network.current, among: inventory.domains)
                .filter { !removedVMs.contains($0) }
            if !users.isEmpty { reasons.append("in use by running VM(s) \(users.joined(separator: ", "))") }
            plan.add(.network, entry.spec.name, reasons: reasons, force: force)
            if reasons.isEmpty || force { plan.networks.append(network.network) }
        }
        return plan
    }

    /// Removes the plan's VMs, then its networks; `lockWait` is how the firewall lock is waited for
    /// while their forwards' rules go.
    public static func execute(_ plan: Plan, on connection: Connection, lockWait: HostLock.Wait = HostLock.Wait()) throws(VNetError) {
        for domain in plan.vms { try VMRemover.remove(domain, on: connection) }
        let firewall = NetworkForwards.Firewall(lockWait: lockWait)
        for network in plan.networks { try NetworkRemover.remove(network, on: connection, firewall: firewall) }
        for overlay in plan.overlayLinks { try OverlayLinks.remove(overlay) }
    }

    /// Why an object is not the topology's, or nil when it is; `owner` is the topology its
    /// vnetctl metadata records ("" for none), nil when it has no vnetctl metadata at all.
    private static func foreignReason(_ topology: Topology, topologyOfOwner owner: String?) -> String? {
        switch owner {
        case nil: return "not made by vnetctl"
        case let name? where name.isEmpty: return "made by vnetctl, not by topology '\(topology.name)'"
        case let name? where name != topology.name: return "made by topology '\(name)', not '\(topology.name)'"
        case _?: return nil
        }
    }
}

extension TopologyTeardown.Plan {
    /// Records one object: removed when nothing speaks against it or `force` overrides the reasons.
    fileprivate mutating func add(_ kind: TopologyAction.Kind, _ name: String, reasons: [String], force: Bool) {
        if reasons.isEmpty {
            actions.append(.init(kind: kind, name: name, outcome: .removed))
        } else if force {
            actions.append(.init(kind: kind, name: name, outcome: .removed, changes: reasons + ["removed by force"]))
        } else {
            actions.append(.init(kind: kind, name: name, outcome: .leftAlone, changes: reasons + ["force removes it"]))
        }
    }
}
