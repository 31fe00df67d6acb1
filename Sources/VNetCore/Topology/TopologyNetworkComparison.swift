import Libvirt
import LibXML

/// How `TopologyPlanner` compares a network of the file with the one libvirt holds.
extension TopologyPlanner {
    /// The action for an existing network: its desired config rendered as if defined anew (on
    /// its own current subnet and bridge when the file leaves them to vnetctl), compared with
    /// both its saved and its running config.
    static func compare(
        _ entry: Topology.NetworkEntry, _ existing: Inventory.NetworkEntry, environment: NetworkEnvironment, templates: TemplateLibrary,
        topology: Topology, domains: [String: ExistingDomain], vmNames: Set<String>
    ) throws(VNetError) -> (TopologyAction, NetworkStep?, NetworkPlan.IPv4Plan?) {
        do {
            let network = existing.network
            let active = existing.active
            let saved = NetworkFacts(existing.saved)
            // A transient network has only its running config, which `saved` already is.
            let live = active ? NetworkFacts(existing.current) : nil
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
            let unchecked = try NetworkDefiner.render(spec, in: others, templates: templates)
            let definition = unchecked.definition
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
            let foreignMACs = Set(domains.values.filter { !vmNames.contains($0.entry.name) }.flatMap { $0.nics.map(\.mac) })
            let foreign = saved.dhcpHosts.filter { foreignMACs.contains($0.mac) }
            desired.dhcpHosts.formUnion(foreign)
            desired.dnsHosts.formUnion(saved.dnsHosts.filter { host in foreign.contains { $0.ip == host.ip } })

            let savedForwards = existing.saved.metadata?.forwards ?? []
            let forwards = definition.plan.forwards
            if !forwards.isEmpty, existing.saved.metadata == nil {
                throw VNetError.invalidInput(
                    "network '\(network.name)' was not defined by vnetctl (it has no vnetctl metadata to hold forwards); "
                        + "drop its forwards: or define the network with vnetctl")
            }
            let (before, after) = (saved.text + forwardLines(savedForwards), desired.text + forwardLines(forwards))
            let affected = domains.values.filter { $0.nics.contains { $0.network == network.name } }.map(\.entry.name).sorted()
            let shapeChanges = saved.shapeChanges(to: desired)
            if !shapeChanges.isEmpty {
                // The restart defines the rendered XML anew; nothing else does.
                try unchecked.validate()
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
                        .restart(network, definition, autostart: entry.autostart, reservations: reservations, taps: taps), definition.plan.ipv4)
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
            let autostart = existing.autostart != entry.autostart ? entry.autostart : nil
            if let autostart { changes.append("autostart \(autostart ? "on" : "off")") }
            let start = entry.start && !active
            if start { changes.append("start") }
            // Running guests' taps off the network's bridge: a restart cut off before it plugged
            // them in again (libvirt does not). Seen only where the host's links are.
            let bridgeIndex = active ? environment.link(named: bridge)?.index : nil
            let taps = active || start
                ? runningTaps(on: network.name, among: domains).filter { tap in
                    guard let link = environment.link(named: tap) else { return false }
                    return bridgeIndex == nil || link.masterIndex != bridgeIndex
                }
                : []
            changes += taps.map { "plug tap \($0) into the network's bridge" }
            if updates.isEmpty, autostart == nil, !start, forwardsChange == nil, taps.isEmpty {
                return (.init(kind: .network, name: network.name, outcome: .unchanged, before: before, after: after), nil,
                        definition.plan.ipv4)
            }
            // A stopped network has no running config to update.
            let sync = NetworkSync(
                network: network, updates: updates, autostart: autostart, start: start, forwards: forwardsChange, taps: taps)
            return (.init(kind: .network, name: network.name, outcome: .updatedLive, changes: changes, before: before, after: after), .sync(sync),
                    definition.plan.ipv4)
        } catch {
            throw VNetError.from(error)
        }
    }

    /// The tap devices of running domains' NICs on `network`, from their live configs.
    private static func runningTaps(on network: String, among domains: [String: ExistingDomain]) -> [String] {
        domains.values.flatMap { existing -> [String] in
            guard existing.entry.active else { return [] }
            return existing.entry.current.nics.filter { $0.kind == "network" && $0.source.network == network }.compactMap(\.tap)
        }.sorted()
    }

    private static func rangeXML(_ range: String) -> String {
        let parts = range.split(separator: "-")
        return "<range start='\(parts.first ?? "")' end='\(parts.last ?? "")'/>"
    }
}
