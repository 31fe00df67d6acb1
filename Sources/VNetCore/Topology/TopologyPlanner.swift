import HostNet
import Libvirt
import LibXML

/// Compares a topology with the saved and the running config of every object it names and
/// decides, per object, to create it, update it live, report that it needs a restart, or leave it.
///
/// Planning is a function of the topology and an `Inventory` (read with the disk overlays'
/// volumes, ``scope(of:)``): it reads nothing itself and makes no change.
public enum TopologyPlanner {
    /// What planning `topology` consults: everything, the storage volumes of its VMs' disk overlays,
    /// and, when a network has `create_bridge`, what planning host bridges takes.
    public static func scope(of topology: Topology) -> Inventory.Scope {
        var scope = Inventory.Scope(.all)
        scope.volumes = DiskOverlay.volumes(for: topology.vms.map(\.spec))
        scope.hostBridges = topology.networks.contains { $0.createBridge }
        return scope
    }

    /// With `prune`, networks and VMs whose metadata names this topology but which the file no
    /// longer names are removed too; objects vnetctl did not make for this topology never are.
    ///
    /// With `allowRestart`, changes that need a network restart are planned as `restarted`
    /// instead of reported as `restart needed`.
    ///
    /// Every VM NIC's address is checked against the network the file plans for it, so a file
    /// with a bad NIC is refused before its networks are made.
    ///
    /// `foreignMACs` are taken besides the inventory's: in a fleet, the other hosts' MACs.
    public static func plan(
        _ topology: Topology, inventory: Inventory, templates: TemplateLibrary, prune: Bool = false,
        allowRestart: Bool = false, foreignMACs: [MACInventory.Use] = []
    ) throws(VNetError) -> TopologyPlan {
        let topology = try OverlayPlacement.settle(topology) { OverlayLinks.underlayMTU($0, host: inventory.host) }
        var environment = NetworkEnvironment(inventory)
        try MACOwnership.checkTopology(topology, inventory: inventory)
        let domains = existingDomains(in: inventory)
        let vmNames = Set(topology.vms.map(\.spec.name))
        var plan = TopologyPlan(actions: [], networkSteps: [], vmSteps: [], unchecked: inventory.host.unseen)
        var plannedIPv4: [String: NetworkPlan.IPv4Plan?] = [:]

        for (index, entry) in topology.networks.enumerated() {
            let place = "networks[\(index)]"
            if let links = entry.overlayLinks {
                let steps = try located(place, entry.line, topology) { () throws(VNetError) in
                    try OverlayLinks.plan(links, host: inventory.host)
                }
                plan.overlays.append(.init(network: entry.spec.name, links: links, steps: steps))
                // The host has the bridge (or gets it first).
                if links.ownsBridge {
                    environment.links.removeAll { $0.name == links.bridge }
                    environment.assumeHostBridge(links.bridge)
                }
            }
            guard let existing = inventory.network(named: entry.spec.name) else {
                if entry.createBridge, let bridge = entry.spec.bridge,
                    environment.link(named: bridge) == nil || inventory.host.unfinishedBridges.contains(bridge) {
                    plan.hostBridges.append(try located(place, entry.line, topology) { () throws(VNetError) in
                        try HostBridgeSetup.prepareCreate(
                            name: bridge, uplink: entry.bridgeUplink, persist: "none", host: inventory.host)
                    })
                    environment.assumeHostBridge(bridge)
                }
                let definition = try located(place, entry.line, topology) { () throws(VNetError) in
                    try NetworkDefiner.prepare(entry.spec, in: environment, templates: templates)
                }
                environment.networks.append(
                    .init(name: entry.spec.name, bridge: definition.plan.bridge,
                          subnets: definition.plan.ipv4.map { [$0.subnet] } ?? [],
                          ipv6Subnets: definition.plan.ipv6.map { [$0.subnet] } ?? [], isPlanned: true,
                          forwards: definition.plan.forwards))
                plannedIPv4[entry.spec.name] = definition.plan.ipv4
                let after = ((try? NetworkFacts(try XMLDocument(string: definition.xml, source: entry.spec.name)).text) ?? definition.xml)
                    + forwardLines(definition.plan.forwards)
                plan.actions.append(.init(kind: .network, name: entry.spec.name, outcome: .created, after: after))
                plan.networkSteps.append(.create(definition, autostart: entry.autostart, start: entry.start))
                continue
            }
            let (action, step, ipv4) = try located(place, entry.line, topology) { () throws(VNetError) in
                try compare(entry, existing, environment: environment, templates: templates, topology: topology,
                            domains: domains, vmNames: vmNames)
            }
            plannedIPv4[entry.spec.name] = ipv4
            plan.actions.append(action)
            if let step { plan.networkSteps.append(step) }
        }

        OverlayLinks.report(plan.overlays, in: &plan.actions)

        let fileNetworks = Set(topology.networks.map(\.spec.name))
        let newVMs = topology.vms.filter { domains[$0.spec.name] == nil }
        let macs = newVMs.isEmpty ? MACInventory(uses: []) : MACInventory(inventory).adding(foreignMACs)
        for (index, entry) in topology.vms.enumerated() where domains[entry.spec.name] == nil {
            try located("vms[\(index)]", entry.line, topology) { () throws(VNetError) in
                try VMDefiner.precheck(entry.spec, inventory: inventory, macs: macs, templates: templates)
            }
        }
        for entry in topology.vms {
            for network in entry.spec.nics.compactMap(\.network) where !fileNetworks.contains(network) {
                if inventory.network(named: network) == nil {
                    throw .invalidInput(
                        "\(topology.source):\(entry.line): vms.\(entry.spec.name).nics: network '\(network)' is neither "
                            + "in the file nor on the host; add it under networks:")
                }
            }
            for (index, nic) in entry.spec.nics.enumerated() {
                guard let ip = nic.ip, let networkName = nic.network else { continue }
                let problem: String?
                if let planned = plannedIPv4[networkName] {
                    problem = VMDefiner.addressProblem(ip, subnet: planned?.subnet, gateway: planned?.gateway, hasDHCP: planned?.dhcp != nil)
                } else if domains[entry.spec.name] == nil, let network = inventory.network(named: networkName) {
                    let state = NetworkDHCPState(network)
                    problem = VMDefiner.addressProblem(ip, subnet: state.subnet, gateway: state.gateway, hasDHCP: state.hasDHCP)
                } else {
                    problem = nil
                }
                if let problem {
                    throw .invalidInput(
                        "\(topology.source):\(entry.line): vms.\(entry.spec.name).nics[\(index)].ip: \(problem) "
                            + "(network '\(networkName)'); pick a guest address in it")
                }
            }
            if let domain = domains[entry.spec.name] {
                let active = domain.entry.active
                let existing = domain.settings
                let desired = Self.settings(of: entry.spec, existing: domain)
                if existing != desired {
                    let changes = Set(existing).symmetricDifference(desired).sorted()
                        .map { existing.contains($0) ? "-\($0)" : "+\($0)" }
                    plan.actions.append(.init(
                        kind: .vm, name: entry.spec.name, outcome: .restartNeeded, changes: changes,
                        before: existing.joined(separator: "\n"), after: desired.joined(separator: "\n")))
                    plan.vmSteps.append(.recreate(domain.entry.domain, entry.spec, start: entry.start))
                } else if entry.start && !active {
                    plan.actions.append(.init(kind: .vm, name: entry.spec.name, outcome: .updatedLive, changes: ["start"]))
                    plan.vmSteps.append(.start(domain.entry.domain))
                } else {
                    plan.actions.append(.init(kind: .vm, name: entry.spec.name, outcome: .unchanged))
                }
            } else {
                let after = entry.spec.nics.map { nic in
                    NICSetting.line(nic) + (nic.ip.map { " ip=\($0)" } ?? "") + (nic.mac.map { " mac=\($0)" } ?? "")
                } + ["template: \(entry.spec.template)"] + (Self.diskSetting(of: entry.spec).map { [$0] } ?? [])
                    + ["memory: \(entry.spec.memoryMiB)MiB", "vcpus: \(entry.spec.vcpus)"]
                plan.actions.append(.init(kind: .vm, name: entry.spec.name, outcome: .created, after: after.joined(separator: "\n")))
                plan.vmSteps.append(.create(entry.spec, start: entry.start))
            }
        }
        plan.needsHook = topology.networks.contains { !$0.spec.forwards.isEmpty || $0.overlayLinks?.ownsBridge == false }
        if prune { try planPrune(topology, inventory: inventory, into: &plan) }
        if allowRestart {
            for index in plan.actions.indices where plan.actions[index].outcome == .restartNeeded {
                plan.actions[index].outcome = .restarted
            }
        }
        return plan
    }

    /// Adds removals for this topology's objects that the file no longer names, VMs first.
    private static func planPrune(_ topology: Topology, inventory: Inventory, into plan: inout TopologyPlan) throws(VNetError) {
        let networkNames = Set(topology.networks.map(\.spec.name)), vmNames = Set(topology.vms.map(\.spec.name))
        for entry in inventory.domains where entry.current.metadata?.topology == topology.name && !vmNames.contains(entry.name) {
            plan.actions.append(.init(kind: .vm, name: entry.name, outcome: .removed))
            plan.vmSteps.insert(.remove(entry.domain), at: 0)
        }
        for entry in inventory.networks where entry.current.metadata?.topology == topology.name && !networkNames.contains(entry.name) {
            var action = TopologyAction(kind: .network, name: entry.name, outcome: .removed, before: NetworkFacts(entry.current).text)
            plan.networkSteps.append(.remove(entry.network))
            // An overlay's links outlive its network; the inventory read them when the host is this machine.
            if let bridge = entry.current.bridge?.name,
                let steps = OverlayLinks.planPruneRemoval(bridge: bridge, bridged: entry.current.model == .bridged, host: inventory.host)
            {
                plan.overlayRemovals.append(.init(network: entry.name, steps: steps))
                action.changes += steps.map(\.description)
            }
            plan.actions.append(action)
        }
    }

    /// A domain that exists, with its NICs on libvirt networks in order.
    struct ExistingDomain {
        var entry: Inventory.DomainEntry
        var nics: [(network: String, mac: String)]
        /// The MAC of every NIC, of any kind, in order (lowercase).
        var macs: [String]
        /// The saved config's settings that a topology describes, as `setting: value` lines.
        var settings: [String]
    }

    /// A VM spec's settings in the form `ExistingDomain.settings` has them; an explicit MAC is
    /// compared with the existing NIC's, a derived one is left as it is.
    static func settings(of spec: VMSpec, existing: ExistingDomain) -> [String] {
        // Only a VM that records its template (vnetctl made it) can differ in template and disk.
        let recorded = existing.settings.contains { $0.hasPrefix("template: ") }
        return ["memory: \(spec.memoryMiB)MiB", "vcpus: \(spec.vcpus)"]
            + (recorded ? ["template: \(spec.template)"] + (diskSetting(of: spec).map { [$0] } ?? []) : [])
            + spec.nics.enumerated().map { index, nic in
                let actual = existing.macs.indices.contains(index) ? existing.macs[index] : nil
                let mac = nic.mac.map(\.description).flatMap { $0 == actual ? nil : " mac=\($0)" } ?? ""
                return NICSetting.line(nic) + mac
            }
    }

    /// The disk line of a spec: `disk: BASE`, or `disk: BASE, transient`; nil without `disk.base`.
    static func diskSetting(of spec: VMSpec) -> String? {
        spec.settings["disk.base"].map { "disk: \($0)" + (spec.settings["disk.transient"] == "true" ? ", transient" : "") }
    }

    /// The same line of an existing domain: `disk: BASE` for a VM with vnetctl's overlay on BASE,
    /// `disk: BASE, transient` for a transient disk on BASE, nil for a VM without either.
    private static func diskSetting(in config: DomainConfig) -> String? {
        if let base = config.metadata?.base { return "disk: \(base)" }
        return config.disks.first { $0.device == "disk" && $0.transient }?.sourceFile.map { "disk: \($0), transient" }
    }

    /// Every domain's saved config, reduced to what a topology describes.
    private static func existingDomains(in inventory: Inventory) -> [String: ExistingDomain] {
        let domains = inventory.domains.map { entry in
            let config = entry.inactive
            let nics = config.nics.compactMap { nic -> (String, String)? in
                guard nic.kind == "network", let network = nic.source.network, let mac = nic.mac else { return nil }
                return (network, mac)
            }
            let template = config.metadata?.template ?? ""
            let recorded = !template.isEmpty && !template.contains("/")
            let settings = ["memory: \(config.memoryMiB ?? 0)MiB", "vcpus: \(config.vcpus.map(String.init) ?? "")"]
                + (recorded ? ["template: \(template)"] + (diskSetting(in: config).map { [$0] } ?? []) : [])
                + config.nics.map(NICSetting.line)
            return ExistingDomain(entry: entry, nics: nics, macs: config.nics.map { $0.mac ?? "" }, settings: settings)
        }
        return Dictionary(domains.map { ($0.entry.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Prefixes a refusal with the file and line of the object it concerns, its field named by the
    /// file's key; the refusal keeps its field and records `entry` ("networks[0]").
    private static func located<T>(
        _ entry: String, _ line: Int, _ topology: Topology, _ body: () throws(VNetError) -> T
    ) throws(VNetError) -> T {
        do {
            return try body()
        } catch {
            guard error.kind == .invalidInput, error.entry == nil, !error.message.hasPrefix(topology.source) else { throw error }
            throw placed(error, entry: entry, line: line, source: topology.source)
        }
    }

    /// A refusal as a topology file words it: "lab.yaml:7: mtu 10 is out of range 68-65535", its
    /// field named by the file's key, `entry` recorded.
    static func placed(_ error: VNetError, entry: String, line: Int, source: String) -> VNetError {
        var placed = error
        let location = "\(source):\(line): "
        placed.message = error.detail == nil ? location + error.message : error.worded(by: fileFieldNames, prefix: location)
        if placed.action != nil {
            placed.action?.before = location + (error.action?.before ?? "")
        } else {
            placed.remedy?.before = location + (error.remedy?.before ?? "")
        }
        placed.entry = entry
        return placed
    }

    /// A topology file's names: each field by its key.
    public static let fileFieldNames = SpecFieldNames(
        names: [
            .mtu: "mtu", .subnet: "subnet", .subnetPool: "subnet_pool", .ipv6: "ipv6", .dhcpRange: "dhcp.range",
            .dhcpHost: "dhcp.hosts", .noDHCP: "dhcp.enabled: false", .noHostIP: "host_ip: false", .domain: "domain",
            .bridge: "bridge", .uplink: "uplink", .createBridge: "create_bridge", .memory: "memory", .vcpus: "vcpus",
            .nic: "nics", .macSeed: "mac_seed", .setting: "set",
        ],
        requests: [.createBridge: "create_bridge: true"])

    /// The `--diff` lines of forwards: `\nport forward: tcp:8080:web1:80 → 10.123.4.11`, one per forward.
    static func forwardLines(_ forwards: [PortForward]) -> String {
        forwards.map { "\nport forward: \($0)" + ($0.vm != nil ? " → \($0.guest?.description ?? "")" : "") }.sorted().joined()
    }
}
