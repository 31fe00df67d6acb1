import HostNet
import Libvirt
import LibXML

/// Compares a topology with the saved and the running config of every object it names and
/// decides, per object, to create it, update it live, report that it needs a restart, or leave it.
///
/// Planning makes no change; it reads each object's XML once.
public enum TopologyPlanner {
    /// With `prune`, networks and VMs whose metadata names this topology but which the file no
    /// longer names are removed too; objects vnetctl did not make for this topology never are.
    ///
    /// With `allowRestart`, changes that need a network restart are planned as `restarted`
    /// instead of reported as `restart needed`.
    public static func plan(
        _ topology: Topology, on connection: Connection, templates: TemplateLibrary, prune: Bool = false,
        allowRestart: Bool = false
    ) throws(VNetError) -> TopologyPlan {
        var environment = try NetworkEnvironment.read(from: connection)
        let domains = try existingDomains(on: connection)
        let vmNames = Set(topology.vms.map(\.spec.name))
        var plan = TopologyPlan(actions: [], networkSteps: [], vmSteps: [])
        var plannedSubnets: [String: IPv4CIDR] = [:]

        for entry in topology.networks {
            let existing = try LibvirtLookup.existingNetwork(named: entry.spec.name, on: connection)
            guard let existing else {
                let definition = try located(entry.line, topology) { () throws(VNetError) in
                    try NetworkDefiner.prepare(entry.spec, in: environment, templates: templates)
                }
                environment.networks.append(
                    .init(name: entry.spec.name, bridge: definition.plan.bridge,
                          subnets: definition.plan.ipv4.map { [$0.subnet] } ?? [],
                          ipv6Subnets: definition.plan.ipv6.map { [$0.subnet] } ?? [], isPlanned: true,
                          forwards: definition.plan.forwards))
                plannedSubnets[entry.spec.name] = definition.plan.ipv4?.subnet
                let after = ((try? NetworkFacts(try XMLDocument(string: definition.xml, source: entry.spec.name)).text) ?? definition.xml)
                    + forwardLines(definition.plan.forwards)
                plan.actions.append(.init(kind: .network, name: entry.spec.name, outcome: .created, after: after))
                plan.networkSteps.append(.create(definition, autostart: entry.autostart, start: entry.start))
                continue
            }
            let (action, step, subnet) = try located(entry.line, topology) { () throws(VNetError) in
                try compare(entry, existing, environment: environment, templates: templates, topology: topology,
                            domains: domains, vmNames: vmNames)
            }
            plannedSubnets[entry.spec.name] = subnet
            plan.actions.append(action)
            if let step { plan.networkSteps.append(step) }
        }

        let fileNetworks = Set(topology.networks.map(\.spec.name))
        let newVMs = topology.vms.filter { domains[$0.spec.name] == nil }
        let inventory = newVMs.isEmpty ? MACInventory(uses: []) : try MACInventory.scan(connection)
        for entry in newVMs {
            try located(entry.line, topology) { () throws(VNetError) in
                try VMDefiner.precheck(entry.spec, on: connection, inventory: inventory, templates: templates)
            }
        }
        for entry in topology.vms {
            for network in entry.spec.nics.compactMap(\.network) where !fileNetworks.contains(network) {
                if try LibvirtLookup.existingNetwork(named: network, on: connection) == nil {
                    throw .invalidInput(
                        "\(topology.source):\(entry.line): vms.\(entry.spec.name).nics: network '\(network)' is neither "
                            + "in the file nor on the host; add it under networks:")
                }
            }
            for nic in entry.spec.nics {
                guard let ip = nic.ip, let network = nic.network, let subnet = plannedSubnets[network] else { continue }
                if !subnet.contains(ip) {
                    throw .invalidInput(
                        "\(topology.source):\(entry.line): vms.\(entry.spec.name).nics: ip \(ip) is outside "
                            + "network '\(network)' (\(subnet)); pick an address in it")
                }
            }
            if let domain = domains[entry.spec.name] {
                let active = (try? domain.domain.isActive) ?? false
                let existing = domain.settings
                let desired = Self.settings(of: entry.spec, existing: domain)
                if existing != desired {
                    let changes = Set(existing).symmetricDifference(desired).sorted()
                        .map { existing.contains($0) ? "-\($0)" : "+\($0)" }
                    plan.actions.append(.init(
                        kind: .vm, name: entry.spec.name, outcome: .restartNeeded, changes: changes,
                        before: existing.joined(separator: "\n"), after: desired.joined(separator: "\n")))
                    plan.vmSteps.append(.recreate(domain.domain, entry.spec, start: entry.start))
                } else if entry.start && !active {
                    plan.actions.append(.init(kind: .vm, name: entry.spec.name, outcome: .updatedLive, changes: ["start"]))
                    plan.vmSteps.append(.start(domain.domain))
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
        if prune { try planPrune(topology, domains: domains, on: connection, into: &plan) }
        if allowRestart {
            for index in plan.actions.indices where plan.actions[index].outcome == .restartNeeded {
                plan.actions[index].outcome = .restarted
            }
        }
        return plan
    }

    /// Adds removals for this topology's objects that the file no longer names, VMs first.
    private static func planPrune(
        _ topology: Topology, domains: [String: ExistingDomain], on connection: Connection, into plan: inout TopologyPlan
    ) throws(VNetError) {
        let networkNames = Set(topology.networks.map(\.spec.name)), vmNames = Set(topology.vms.map(\.spec.name))
        do {
            let ownedDomains = try ObjectScan.domains(on: connection) { domain -> Domain? in
                let document = try XMLDocument(string: try domain.xml(), source: "domain \(domain.name)")
                let owner = try document.string("string(\(VNetMetadata.domainXPath)/@topology)")
                return owner == topology.name && !vmNames.contains(domain.name) ? domain : nil
            }.compactMap { $0 }
            for domain in ownedDomains.sorted(by: { $0.name < $1.name }) {
                plan.actions.append(.init(kind: .vm, name: domain.name, outcome: .removed))
                plan.vmSteps.insert(.remove(domain), at: 0)
            }
            let ownedNetworks = try ObjectScan.networks(on: connection) { network -> (Network, String)? in
                let document = try XMLDocument(string: try network.xml(), source: "network \(network.name)")
                let owner = try document.string("string(\(VNetMetadata.networkXPath)/@topology)")
                guard owner == topology.name, !networkNames.contains(network.name) else { return nil }
                return (network, try NetworkFacts(document).text)
            }.compactMap { $0 }
            for (network, before) in ownedNetworks.sorted(by: { $0.0.name < $1.0.name }) {
                plan.actions.append(.init(kind: .network, name: network.name, outcome: .removed, before: before))
                plan.networkSteps.append(.remove(network))
            }
        } catch {
            throw VNetError.from(error)
        }
    }

    /// A domain that exists, with its NICs on libvirt networks in order.
    struct ExistingDomain {
        var domain: Domain
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
    private static func diskSetting(in document: XMLDocument) throws -> String? {
        if let base = try document.firstElement(VNetMetadata.domainXPath)?.attribute(VNetMetadata.baseAttribute) {
            return "disk: \(base)"
        }
        let transient = try document.string("string(/domain/devices/disk[@device='disk'][transient]/source/@file)") ?? ""
        return transient.isEmpty ? nil : "disk: \(transient), transient"
    }

    private static func existingDomains(on connection: Connection) throws(VNetError) -> [String: ExistingDomain] {
        do {
            let domains = try ObjectScan.domains(on: connection) { domain in
                let document = try XMLDocument(string: try domain.xml(inactive: try domain.isPersistent), source: "domain \(domain.name)")
                let nics = try DomainSummary.NIC.all(in: document).compactMap { nic -> (String, String)? in
                    guard nic.type == "network", let network = nic.network, let mac = nic.mac else { return nil }
                    return (network, mac.lowercased())
                }
                let memoryKiB = Int(try document.string("string(/domain/memory)") ?? "") ?? 0
                let unit = try document.string("string(/domain/memory/@unit)") ?? "KiB"
                let memoryMiB = unit == "MiB" ? memoryKiB : unit == "GiB" ? memoryKiB * 1024 : memoryKiB / 1024
                let template = try document.string("string(\(VNetMetadata.domainXPath)/@template)") ?? ""
                let recorded = !template.isEmpty && !template.contains("/")
                let settings = ["memory: \(memoryMiB)MiB", "vcpus: \(try document.string("string(/domain/vcpu)") ?? "")"]
                    + (recorded ? ["template: \(template)"] + (try Self.diskSetting(in: document).map { [$0] } ?? []) : [])
                    + (try document.elements("/domain/devices/interface").map(NICSetting.line))
                let macs = try DomainSummary.NIC.all(in: document).map { $0.mac?.lowercased() ?? "" }
                return ExistingDomain(domain: domain, nics: nics, macs: macs, settings: settings)
            }
            return Dictionary(domains.map { ($0.domain.name, $0) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Prefixes a refusal with the file and line of the object it concerns.
    private static func located<T>(_ line: Int, _ topology: Topology, _ body: () throws(VNetError) -> T) throws(VNetError) -> T {
        do {
            return try body()
        } catch {
            guard error.kind == .invalidInput, !error.message.hasPrefix(topology.source) else { throw error }
            throw .invalidInput("\(topology.source):\(line): \(error.message)")
        }
    }

    /// The action for an existing network: its desired config rendered as if defined anew (on
    /// its own current subnet and bridge when the file leaves them to vnetctl), compared with
    /// both its saved and its running config.
    private static func compare(
        _ entry: Topology.NetworkEntry, _ network: Network, environment: NetworkEnvironment, templates: TemplateLibrary,
        topology: Topology, domains: [String: ExistingDomain], vmNames: Set<String>
    ) throws(VNetError) -> (TopologyAction, NetworkStep?, IPv4CIDR?) {
        do {
            let active = try network.isActive
            let saved = try NetworkFacts(try XMLDocument(string: try network.savedConfigXML(), source: "network \(network.name)"))
            let live = active ? try NetworkFacts(try XMLDocument(string: try network.xml(), source: "network \(network.name)")) : nil
            let bridge = saved.shape["bridge"] ?? ""
            var spec = entry.spec
            if spec.subnet == nil || spec.subnet == .auto(), let current = try? IPv4CIDR.enclosing(saved.shape["ipv4"] ?? "") {
                spec.subnet = .explicit(current)
            }
            if spec.bridge == nil, !bridge.isEmpty, spec.model != .bridged { spec.bridge = bridge }
            // Forwards may name VMs outside the file by the reservations the network already holds.
            for host in saved.dhcpHosts where !host.name.isEmpty && spec.forwardVMs[host.name] == nil {
                spec.forwardVMs[host.name] = try? IPv4Address(host.ip)
            }
            // The network must not collide with itself: leave it, and the bridge libvirt made for
            // it with that bridge's addresses and routes, out (a bridged network's bridge is the host's).
            var others = environment
            others.networks.removeAll { $0.name == network.name }
            if spec.model != .bridged {
                others.links.removeAll { $0.name == bridge }
                others.addresses.removeAll { $0.linkName == bridge }
                others.routes.removeAll { $0.linkName == bridge }
            }
            let definition = try NetworkDefiner.prepare(spec, in: others, templates: templates)
            // What the template renders; `desired` adds the reservations that VMs hold.
            let rendered = try NetworkFacts(try XMLDocument(string: definition.xml, source: "network \(network.name)"))
            var desired = rendered

            // Reservations that VMs of the file hold, and those of VMs outside the file, stay.
            for vm in topology.vms {
                guard let domain = domains[vm.spec.name] else { continue }
                let onNetwork = domain.nics.filter { $0.network == network.name }
                for (nic, existingNIC) in zip(vm.spec.nics.filter { $0.network == network.name }, onNetwork) {
                    guard let ip = nic.ip else { continue }
                    let name = DNSNames.hostname(for: vm.spec.name)
                    desired.dhcpHosts.insert(.init(mac: existingNIC.mac, ip: ip.description, name: name))
                    desired.dnsHosts.insert(.init(mac: "", ip: ip.description, name: name))
                }
            }
            let foreignMACs = Set(domains.values.filter { !vmNames.contains($0.domain.name) }.flatMap { $0.nics.map(\.mac) })
            let foreign = saved.dhcpHosts.filter { foreignMACs.contains($0.mac) }
            desired.dhcpHosts.formUnion(foreign)
            desired.dnsHosts.formUnion(saved.dnsHosts.filter { host in foreign.contains { $0.ip == host.ip } })

            let savedDocument = try XMLDocument(string: try network.savedConfigXML(), source: "network \(network.name)")
            let savedForwards = try ForwardMetadata.forwards(in: savedDocument)
            let forwards = definition.plan.forwards
            if !forwards.isEmpty, try savedDocument.firstElement(VNetMetadata.networkXPath) == nil {
                throw VNetError.invalidInput(
                    "network '\(network.name)' was not defined by vnetctl (it has no vnetctl metadata to hold forwards); "
                        + "drop its forwards: or define the network with vnetctl")
            }
            let (before, after) = (saved.text + forwardLines(savedForwards), desired.text + forwardLines(forwards))
            let affected = domains.values.filter { $0.nics.contains { $0.network == network.name } }.map(\.domain.name).sorted()
            let shapeChanges = saved.shapeChanges(to: desired)
            if !shapeChanges.isEmpty {
                let taps = runningTaps(on: network.name, among: domains)
                // Reservations of the file's VMs (and of VMs outside it) are not in the template's
                // output; they are added after the restart, where they still fit the subnet.
                let subnet = definition.plan.ipv4?.subnet
                let fits = { (host: NetworkFacts.Host) in (try? IPv4Address(host.ip)).map { subnet?.contains($0) ?? false } ?? false }
                let reservations =
                    desired.dhcpHosts.subtracting(rendered.dhcpHosts).filter(fits).sorted().map {
                        NetworkSync.Update(command: .add, section: .ipDHCPHost, xml: $0.dhcpXML, flags: [.live, .config])
                    }
                    + desired.dnsHosts.subtracting(rendered.dnsHosts).filter(fits).sorted().map {
                        NetworkSync.Update(command: .add, section: .dnsHost, xml: $0.dnsXML, flags: [.live, .config])
                    }
                return (.init(kind: .network, name: network.name, outcome: .restartNeeded, changes: shapeChanges, affectedVMs: affected,
                              before: before, after: after),
                        .restart(network, definition, autostart: entry.autostart, reservations: reservations, taps: taps), definition.plan.ipv4?.subnet)
            }
            var updates: [NetworkSync.Update] = []
            var changes: [String] = []
            for (facts, flags) in [(saved, NetworkUpdateFlags.config), (live, NetworkUpdateFlags.live)] {
                guard let facts else { continue }
                let describe = flags == .config
                if facts.range != desired.range, let old = facts.range, let new = desired.range {
                    updates.append(.init(command: .delete, section: .ipDHCPRange, xml: rangeXML(old), flags: flags))
                    updates.append(.init(command: .add, section: .ipDHCPRange, xml: rangeXML(new), flags: flags))
                    if describe { changes.append("DHCP range \(old) → \(new)") }
                }
                for host in facts.dhcpHosts.subtracting(desired.dhcpHosts).sorted() {
                    updates.append(.init(command: .delete, section: .ipDHCPHost, xml: host.dhcpXML, flags: flags))
                    if describe { changes.append("-host \(host)") }
                }
                for host in facts.dnsHosts.subtracting(desired.dnsHosts).sorted() {
                    updates.append(.init(command: .delete, section: .dnsHost, xml: host.dnsXML, flags: flags))
                }
                for host in desired.dhcpHosts.subtracting(facts.dhcpHosts).sorted() {
                    updates.append(.init(command: .add, section: .ipDHCPHost, xml: host.dhcpXML, flags: flags))
                    if describe { changes.append("+host \(host)") }
                }
                for host in desired.dnsHosts.subtracting(facts.dnsHosts).sorted() {
                    updates.append(.init(command: .add, section: .dnsHost, xml: host.dnsXML, flags: flags))
                }
                if !describe, !updates.filter({ $0.flags == .live }).isEmpty, changes.isEmpty {
                    changes.append("running config had drifted from the saved one")
                }
            }
            let forwardsChange = Set(savedForwards) == Set(forwards) ? nil : forwards
            if forwardsChange != nil {
                changes += savedForwards.filter { !forwards.contains($0) }.map { "-forward \($0)" }
                    + forwards.filter { !savedForwards.contains($0) }.map { "+forward \($0)" }
            }
            let autostart = try network.autostart != entry.autostart ? entry.autostart : nil
            if let autostart { changes.append("autostart \(autostart ? "on" : "off")") }
            let start = entry.start && !active
            if start { changes.append("start") }
            if updates.isEmpty, autostart == nil, !start, forwardsChange == nil {
                return (.init(kind: .network, name: network.name, outcome: .unchanged, before: before, after: after), nil,
                        definition.plan.ipv4?.subnet)
            }
            // A stopped network has no running config to update.
            let sync = NetworkSync(network: network, updates: updates, autostart: autostart, start: start, forwards: forwardsChange)
            return (.init(kind: .network, name: network.name, outcome: .updatedLive, changes: changes, before: before, after: after), .sync(sync),
                    definition.plan.ipv4?.subnet)
        } catch {
            throw VNetError.from(error)
        }
    }

    /// The tap devices of running domains' NICs on `network`, read from their live XML; a domain
    /// that stopped or vanished since the scan has none.
    private static func runningTaps(on network: String, among domains: [String: ExistingDomain]) -> [String] {
        domains.values.flatMap { existing -> [String] in
            guard (try? existing.domain.isActive) == true, let xml = try? existing.domain.xml(),
                let document = try? XMLDocument(string: xml, source: "domain \(existing.domain.name)")
            else { return [] }
            return (try? document.strings("/domain/devices/interface[@type='network'][source/@network='\(network)']/target/@dev")) ?? []
        }.sorted()
    }

    /// The `--diff` lines of forwards: `\nport forward: tcp:8080:web1:80 → 10.123.4.11`, one per forward.
    private static func forwardLines(_ forwards: [PortForward]) -> String {
        forwards.map { "\nport forward: \($0)" + ($0.vm != nil ? " → \($0.guest?.description ?? "")" : "") }.sorted().joined()
    }

    private static func rangeXML(_ range: String) -> String {
        let parts = range.split(separator: "-")
        return "<range start='\(parts.first ?? "")' end='\(parts.last ?? "")'/>"
    }
}
