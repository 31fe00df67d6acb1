import Libvirt

extension HostPicture {
    /// The picture of what `topology` will make, before `apply`: its networks as planned (or as
    /// they stand when the plan leaves them), its VMs with their NICs (taps only for those that
    /// already run), and the host's uplinks and bridges they touch. Objects the file does not name
    /// are left out.
    public init(_ topology: Topology, plan: TopologyPlan, inventory: Inventory) {
        var planned: [String: NetworkConfig] = [:]
        for step in plan.networkSteps {
            let definition: NetworkDefinition
            switch step {
            case .create(let made, _, _): definition = made
            case .restart(_, let made, _, _, _): definition = made
            case .sync, .remove: continue
            }
            if let config = try? NetworkConfig(xml: definition.xml, source: definition.plan.name) { planned[definition.plan.name] = config }
        }
        let networks = topology.networks.map { entry -> (config: NetworkConfig?, network: Network?) in
            let name = entry.spec.name
            if let config = planned[name] {
                let existing = inventory.network(named: name)
                return (config, Self.network(config, active: existing?.active ?? false, planned: existing == nil, host: inventory.host))
            }
            guard let existing = inventory.network(named: name) else { return (nil, nil) }
            return (existing.current, Self.network(existing.current, active: existing.active, host: inventory.host))
        }
        let configs = networks.compactMap(\.config) + inventory.networks.map(\.current).filter { planned[$0.name] == nil }
        let recreated = Set(plan.vmSteps.compactMap { step -> String? in
            if case .recreate(_, let spec, _) = step { spec.name } else { nil }
        })
        let vms = topology.vms.map { entry -> VM in
            let spec = entry.spec
            if let existing = inventory.domain(named: spec.name), !recreated.contains(spec.name) {
                return Self.vm(spec.name, state: existing.state.description, running: existing.active,
                               nics: existing.current.nics, networks: configs, leases: [])
            }
            return VM(name: spec.name, state: "planned", running: false, nics: spec.nics.map { nic in
                let network = nic.network.flatMap { name in configs.first { $0.name == name } }
                let bridge: String? = if case .bridge(let name) = nic.attachment { name } else { network?.bridge?.name }
                let dev: String? = if case .direct(let device, _) = nic.attachment { device } else { nil }
                let reserved = nic.mac.flatMap { mac in network?.dhcpHosts.first { $0.mac == mac.description }?.ip }
                return NIC(kind: nic.attachment.type, mac: nic.mac?.description, address: nic.ip?.description ?? reserved, tap: nil,
                           network: nic.network, bridge: bridge, dev: dev)
            })
        }
        self = Self.completed(networks: networks.compactMap(\.network), vms: vms, host: inventory.host)
    }

    /// Reads `connection`'s inventory and plans `topology` against it (checking the whole file as
    /// `apply --check` does), then pictures the plan.
    public static func planned(_ topology: Topology, on connection: Connection) throws(VNetError) -> HostPicture {
        let inventory = try Inventory.read(connection, TopologyPlanner.scope(of: topology))
        let plan = try TopologyPlanner.plan(topology, inventory: inventory, templates: try TemplateLibrary.shipped())
        return HostPicture(topology, plan: plan, inventory: inventory)
    }

    /// Reads `connection`'s inventory and the leases of its running networks, and pictures them.
    public static func read(_ connection: Connection) throws(VNetError) -> HostPicture {
        let inventory = try Inventory.read(connection, Inventory.Scope(.all, hostIdentity: false))
        let leases = inventory.networks.filter(\.active).flatMap { (try? $0.network.dhcpLeases()) ?? [] }
        return HostPicture(inventory, leases: leases)
    }
}
