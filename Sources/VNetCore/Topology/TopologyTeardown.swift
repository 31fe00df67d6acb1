import Libvirt
import LibXML

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
    }

    /// Plans the teardown and, unless `check`, carries it out under the host lock; the actions
    /// are the same either way. `force` removes objects that are not the topology's, and networks in use.
    public static func teardown(
        _ topology: Topology, on connection: Connection, force: Bool = false, check: Bool = false
    ) throws(VNetError) -> [TopologyAction] {
        if check { return try plan(topology, on: connection, force: force).actions }
        return try HostLock.withLock { () throws(VNetError) in
            let plan = try plan(topology, on: connection, force: force)
            try execute(plan, on: connection)
            return plan.actions
        }
    }

    /// Decides, for every object the file names, whether it goes; objects that do not exist are skipped.
    public static func plan(_ topology: Topology, on connection: Connection, force: Bool) throws(VNetError) -> Plan {
        var plan = Plan(actions: [], vms: [], networks: [])
        for entry in topology.vms {
            guard let domain = try LibvirtLookup.existingDomain(named: entry.spec.name, on: connection) else { continue }
            let reason = foreignReason(topology, owner: try owner(of: domain))
            plan.add(.vm, entry.spec.name, reasons: reason.map { [$0] } ?? [], force: force)
            if reason == nil || force { plan.vms.append(domain) }
        }
        let removedVMs = Set(plan.vms.map(\.name))
        for entry in topology.networks {
            guard let network = try LibvirtLookup.existingNetwork(named: entry.spec.name, on: connection) else { continue }
            var reasons = foreignReason(topology, owner: try owner(of: network)).map { [$0] } ?? []
            let users = try NetworkUsers.runningVMs(on: network, connection: connection).filter { !removedVMs.contains($0) }
            if !users.isEmpty { reasons.append("in use by running VM(s) \(users.joined(separator: ", "))") }
            plan.add(.network, entry.spec.name, reasons: reasons, force: force)
            if reasons.isEmpty || force { plan.networks.append(network) }
        }
        return plan
    }

    /// Removes the plan's VMs, then its networks.
    public static func execute(_ plan: Plan, on connection: Connection) throws(VNetError) {
        for domain in plan.vms { try VMRemover.remove(domain, on: connection) }
        for network in plan.networks { try NetworkRemover.remove(network, on: connection) }
    }

    /// Who made an object, by its metadata: not vnetctl, or vnetctl for a topology ("" for none).
    private enum Owner {
        case foreign
        case vnetctl(topology: String)
    }

    private static func owner(of domain: Domain) throws(VNetError) -> Owner {
        try owner(xml: { try domain.xml() }, source: "domain \(domain.name)", xpath: VNetMetadata.domainXPath)
    }

    private static func owner(of network: Network) throws(VNetError) -> Owner {
        try owner(xml: { try network.xml() }, source: "network \(network.name)", xpath: VNetMetadata.networkXPath)
    }

    private static func owner(xml: () throws -> String, source: String, xpath: String) throws(VNetError) -> Owner {
        do {
            let document = try XMLDocument(string: try xml(), source: source)
            guard try document.firstElement(xpath) != nil else { return .foreign }
            return .vnetctl(topology: try document.string("string(\(xpath)/@topology)") ?? "")
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Why an object with `owner` is not the topology's, or nil when it is.
    private static func foreignReason(_ topology: Topology, owner: Owner) -> String? {
        switch owner {
        case .foreign: return "not made by vnetctl"
        case .vnetctl(let name) where name.isEmpty: return "made by vnetctl, not by topology '\(topology.name)'"
        case .vnetctl(let name) where name != topology.name: return "made by topology '\(name)', not '\(topology.name)'"
        case .vnetctl: return nil
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
