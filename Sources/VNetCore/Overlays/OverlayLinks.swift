import HostNet

/// This host's links of a topology's overlay networks: planned with the networks, made before them
/// (the bridge a bridged part needs) and again after them (the gateway's port, into the bridge
/// libvirt made), removed after them.
///
/// The planning functions read nothing: they take the links the inventory read from the host.
enum OverlayLinks {
    /// The steps that bring the host whose facts are `host` to `links`; refused on another machine,
    /// whose links cannot be seen from here.
    static func plan(_ links: HostOverlayLinks, host: HostFacts) throws(VNetError) -> [HostOverlayStep] {
        guard host.isThisMachine, let vxlans = host.vxlanLinks else {
            throw .naming(.invalidInput, "the overlay's links are made by vnetctl on their host; run ", OperationAction(.apply), then: " there")
        }
        do {
            return try HostOverlay.plan(links, hostLinks: host.links, vxlans: vxlans)
        } catch {
            throw .failure("cannot plan the overlay's links: \(error)")
        }
    }

    /// The MTU of the link of `host` that holds `address`; nil when none does (or `host` is another
    /// machine, whose addresses are unseen).
    static func underlayMTU(_ address: String, host: HostFacts) -> Int? {
        HostOverlay.underlayMTU(address: address, hostLinks: host.links, addresses: host.addresses)
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

    /// The removal of the links a pruned overlay network leaves on `host`: the VXLAN links whose
    /// alias names its bridge and, for a bridged part, the bridge vnetctl made for them; nil for any
    /// other network, and on another machine, whose links cannot be seen from here.
    static func planPruneRemoval(bridge: String, bridged: Bool, host: HostFacts) -> [HostOverlayStep]? {
        guard host.isThisMachine, let vxlans = host.vxlanLinks else { return nil }
        let steps = HostOverlay.planPortRemoval(bridge: bridge, bridged: bridged, hostLinks: host.links, vxlans: vxlans)
        return steps.isEmpty ? nil : steps
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
    /// As for apply, `host` must be this machine and hold the part's address.
    static func planRemoval(_ topology: Topology, host: HostFacts, into plan: inout TopologyTeardown.Plan) throws(VNetError) {
        for entry in topology.networks {
            guard let links = entry.overlayLinks else { continue }
            guard host.isThisMachine, underlayMTU(links.vxlan.local, host: host) != nil else {
                throw .asking(
                    .invalidInput,
                    "\(topology.source):\(entry.line): networks.\(entry.spec.name): the overlay's links on host '\(entry.host)' "
                        + "are removed by vnetctl on that host; run ",
                    for: .teardownOnHost, value: entry.host, then: " there")
            }
            let index = plan.actions.firstIndex { $0.kind == .network && $0.name == entry.spec.name }
            if let index, plan.actions[index].outcome == .leftAlone { continue }
            let steps: [HostOverlayStep]
            do {
                steps = try HostOverlay.planRemoval(
                    bridge: links.bridge, ownsBridge: links.ownsBridge, vxlan: links.vxlan.name, hostLinks: host.links)
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
