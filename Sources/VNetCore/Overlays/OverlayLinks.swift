import HostNet

/// This host's links of a topology's overlay networks: planned with the networks, made before them
/// (the bridge a bridged part needs) and again after them (the gateway's port, into the bridge
/// libvirt made), removed after them.
enum OverlayLinks {
    static func plan(_ links: HostOverlayLinks) throws(VNetError) -> [HostOverlayStep] {
        do {
            return try HostOverlay.plan(links)
        } catch {
            throw .failure("cannot plan the overlay's links: \(error)")
        }
    }

    /// Brings the links to what the overlay needs, from what the kernel has now.
    static func converge(_ overlay: PlannedOverlay) throws(VNetError) {
        do {
            try HostOverlay.execute(try HostOverlay.plan(overlay.links))
        } catch {
            throw .failure("overlay network '\(overlay.network)': \(error)")
        }
    }

    /// Runs the removal steps planned for an overlay.
    static func remove(_ overlay: PlannedOverlay) throws(VNetError) {
        do {
            try HostOverlay.execute(overlay.steps)
        } catch {
            throw .failure("overlay network '\(overlay.network)': \(error)")
        }
    }

    /// The removal of the links a pruned overlay network leaves: the VXLAN links whose alias names
    /// its bridge and, for a bridged part, the bridge vnetctl made for them; nil for any other network.
    static func planPruneRemoval(network: String, bridge: String, bridged: Bool) throws(VNetError) -> [HostOverlayStep]? {
        do {
            let ports = try HostNetwork.vxlanLinks(withAlias: HostOverlay.alias(bridge: bridge))
            guard !ports.isEmpty else { return nil }
            let ownBridge = try bridged && HostNetwork.link(named: bridge)?.kind == .bridge
            return ports.map { .deleteLink($0) } + (ownBridge ? [.deleteLink(bridge)] : [])
        } catch {
            throw .failure("cannot read the links of overlay network '\(network)': \(error)")
        }
    }

    /// True when the one host a run covers is this machine: a local connection, or (for a part
    /// applied with `--host` through a network URI) the host's address on a link here.
    static func isThisMachine(_ topology: Topology, inventory: Inventory) throws(VNetError) -> Bool {
        if !inventory.host.remote { return true }
        guard topology.hosts.count == 1, let address = topology.hosts[0].address else { return false }
        do {
            return try HostOverlay.underlayMTU(address: address.description) != nil
        } catch {
            throw .failure("cannot read this host's links: \(error)")
        }
    }

    /// Runs the steps that delete a pruned overlay's links.
    static func remove(_ removal: OverlayRemoval) throws(VNetError) {
        do {
            try HostOverlay.execute(removal.steps)
        } catch {
            throw .failure("overlay network '\(removal.network)': \(error)")
        }
    }

    /// Adds the links' steps to their network's action: an otherwise unchanged network whose links
    /// lack something is updated live.
    static func report(_ overlays: [PlannedOverlay], in actions: inout [TopologyAction]) {
        for overlay in overlays where !overlay.steps.isEmpty {
            guard let index = actions.firstIndex(where: { $0.kind == .network && $0.name == overlay.network }) else { continue }
            if actions[index].outcome == .unchanged { actions[index].outcome = .updatedLive }
            actions[index].changes += overlay.steps.map(\.description)
        }
    }

    /// Plans the removal of the links of every overlay whose network goes (or is gone already);
    /// those of a network left alone stay with it.
    ///
    /// As for apply, the host's address on a link of this machine says that this is the host.
    static func planRemoval(_ topology: Topology, into plan: inout TopologyTeardown.Plan) throws(VNetError) {
        for entry in topology.networks {
            guard let links = entry.overlayLinks else { continue }
            let here: Bool
            do {
                here = try HostOverlay.underlayMTU(address: links.vxlan.local) != nil
            } catch {
                throw .failure("cannot read this host's links: \(error)")
            }
            guard here else {
                throw .invalidInput(
                    "\(topology.source):\(entry.line): networks.\(entry.spec.name): the overlay's links on host '\(entry.host)' "
                        + "are removed by vnetctl on that host; run vnetctl teardown -f FILE --host \(entry.host) there")
            }
            let index = plan.actions.firstIndex { $0.kind == .network && $0.name == entry.spec.name }
            if let index, plan.actions[index].outcome == .leftAlone { continue }
            let steps: [HostOverlayStep]
            do {
                steps = try HostOverlay.planRemoval(bridge: links.bridge, ownsBridge: links.ownsBridge, vxlan: links.vxlan.name)
            } catch {
                throw .failure("overlay network '\(entry.spec.name)': \(error)")
            }
            guard !steps.isEmpty else { continue }
            plan.overlayLinks.append(.init(network: entry.spec.name, links: links, steps: steps))
            if let index {
                plan.actions[index].changes += steps.map(\.description)
            } else {
                plan.actions.append(.init(kind: .network, name: entry.spec.name, outcome: .removed, changes: steps.map(\.description)))
            }
        }
    }
}
