import Foundation
import Libvirt
import LibXML

/// The pipeline from spec to libvirt domain: check → allocate MACs → render → normalize →
/// validate → reserve addresses → define → start.
///
/// Define is all or nothing: reservations added for the VM are removed again when the domain
/// define (or the start that was asked for) fails.
public enum VMDefiner {
    /// Checks `spec` against `inventory`, assigns MACs that `macs` shows free and renders the
    /// domain XML; `connection` is asked only about the disk overlay's storage pool.
    ///
    /// Callers that go on to `define` must hold the `HostLock` from before the inventory is read
    /// until `define` returns, so no other vnetctl process can take the same MACs meanwhile.
    public static func prepare(
        _ spec: VMSpec, inventory: Inventory, macs: MACInventory, on connection: Connection, templates: TemplateLibrary
    ) throws(VNetError) -> VMDefinition {
        try checkBasics(spec, inventory: inventory)
        try NICHostCheck.check(spec)
        var allocator = MACAllocator(inventory: macs)
        var states: [String: NetworkDHCPState] = [:]
        for name in spec.nics.compactMap(\.network) where states[name] == nil {
            states[name] = NetworkDHCPState(try network(named: name, in: inventory))
        }
        for nic in spec.nics {
            if let mac = nic.mac { try allocator.take(mac, vm: spec.name, network: nic.network) }
        }
        try MACOwnership.checkNICs(of: spec, inventory: inventory)
        let adopted = ReservationAdoption.adopted(for: spec, states: states, inventory: macs)
        for (index, mac) in adopted { try allocator.take(mac, vm: spec.name, network: spec.nics[index].network) }
        let assignedMACs = spec.nics.enumerated().map { index, nic in
            nic.mac ?? adopted[index]
                ?? allocator.allocate(
                    vm: spec.name, nic: index, seed: spec.macSeed, network: nic.network,
                    lan: MACInventory.lanDevices(for: nic.attachment, in: inventory))
        }
        let nics = try plannedNICs(spec, macs: assignedMACs, states: states)

        let source = try templates.source(.domain, spec.template)
        try TemplateKeys.check(spec.settings, against: source)
        var overlay = try DiskOverlay.plan(spec, inventory: inventory, on: connection)
        let settings = spec.settings.merging(overlay.map { ["disk.overlay": $0.path] } ?? [:]) { $1 }
        let values = try TemplateRenderer.merging(settings, into: templateValues(spec, template: source.name))
        let document = try TemplateRenderer.render(source, values: values)
        let assigned = try assignMACs(document, nics: nics, spec: spec, allocator: &allocator, inventory: inventory)
        if let planned = overlay {
            overlay = try record(planned, in: document, template: source.name)
        }
        try TemplateRenderer.validate(document, from: source, schema: "domain")
        return VMDefinition(
            name: spec.name, template: source.name, nics: assigned, overlay: overlay, xml: document.serialized(formatted: true))
    }

    /// Notes the overlay and its base in vnetctl's metadata, where `undefine vm` finds the overlay
    /// to delete it and `apply` the base to compare. Returns nil, and nothing is created, when the
    /// template does not use the overlay (`disk.overlay`).
    private static func record(_ overlay: DiskOverlay, in document: XMLDocument, template: String) throws(VNetError)
        -> DiskOverlay?
    {
        let sources: [String], metadata: XMLElement?
        do {
            sources = try document.strings("/domain/devices/disk/source/@file")
            metadata = try document.firstElement(VNetMetadata.domainXPath)
        } catch {
            throw VNetError.from(error)
        }
        guard sources.contains(overlay.path) else { return nil }
        guard let metadata else {
            throw .invalidInput(
                "template \(template) uses disk.overlay but has no vnetctl metadata element, so 'undefine vm' could not "
                    + "find the overlay to delete; copy the <vnetctl:domain> element of the shipped disk template")
        }
        metadata.setAttribute(VNetMetadata.overlayAttribute, overlay.path)
        metadata.setAttribute(VNetMetadata.baseAttribute, overlay.base)
        return overlay
    }

    /// Adds the reservations, defines the domain and starts it as asked; undoes everything on failure.
    ///
    /// `inventory` is the one `prepare` saw: its networks' reservations are the ones made before this VM.
    @discardableResult
    public static func define(_ definition: VMDefinition, inventory: Inventory, on connection: Connection, start: Bool)
        throws(VNetError) -> Domain
    {
        var added: [ReservationChange] = []
        var states: [String: NetworkDHCPState] = [:]
        do {
            for nic in definition.nics {
                guard let ip = nic.ip, let name = nic.network else { continue }
                let state = try states[name] ?? NetworkDHCPState(try network(named: name, in: inventory))
                states[name] = state
                // A reservation already there (made for this VM by a define that was cut off, or by
                // the user) is kept; its DNS host is still added when missing.
                if !state.reservations.contains(where: { $0.mac == nic.mac && $0.ip == ip }) {
                    let host = NetworkFacts.Host(mac: nic.mac.description, ip: ip.description, name: nic.hostname ?? "").dhcpXML
                    try state.network.update(.add, .ipDHCPHost, xml: host, flags: state.updateFlags)
                    added.append(ReservationChange(network: state.network, section: .ipDHCPHost, xml: host, flags: state.updateFlags))
                    FaultPoint.reached("reserving \(ip) in network '\(name)'")
                }
                if let hostname = nic.hostname, !state.dnsHosts.contains(where: { $0.ip == ip.description }) {
                    let dns = NetworkFacts.Host(mac: "", ip: ip.description, name: hostname).dnsXML
                    try state.network.update(.add, .dnsHost, xml: dns, flags: state.updateFlags)
                    added.append(ReservationChange(network: state.network, section: .dnsHost, xml: dns, flags: state.updateFlags))
                    FaultPoint.reached("adding DNS host \(hostname) in network '\(name)'")
                }
            }
        } catch {
            ReservationChange.undo(added)
            throw .failure(
                "could not reserve the VM's addresses: \(VNetError.from(error).message); "
                    + "the reservations already made were removed again")
        }
        if let overlay = definition.overlay, !overlay.adopted {
            do {
                try overlay.create(on: connection)
                FaultPoint.reached("creating disk overlay \(overlay.path)")
            } catch {
                ReservationChange.undo(added)
                throw VNetError(
                    error.kind, error.message + (added.isEmpty ? "" : "; the VM's address reservations were removed again"),
                    code: error.code, cause: error.cause)
            }
        }
        /// Removes the overlay and the reservations made above, after a later step failed.
        func undo() {
            if let overlay = definition.overlay, !overlay.adopted { try? DiskOverlay.delete(path: overlay.path, on: connection) }
            ReservationChange.undo(added)
        }
        let domain: Domain
        do {
            domain = try connection.defineDomain(xml: definition.xml)
            FaultPoint.reached("defining VM '\(definition.name)'")
        } catch {
            undo()
            let failure = VNetError.from(error)
            let undone = [added.isEmpty ? nil : "address reservations", definition.overlay.map { $0.adopted ? nil : "disk overlay" } ?? nil].compactMap { $0 }
            throw VNetError(
                failure.kind,
                "defining VM '\(definition.name)' failed: \(failure.message)"
                    + (undone.isEmpty ? "" : "; its \(undone.joined(separator: " and ")) were removed again"),
                code: failure.code, cause: failure.cause)
        }
        guard start else { return domain }
        do {
            try domain.start()
            return domain
        } catch {
            try? domain.undefine()
            undo()
            throw .failure(
                "VM '\(definition.name)' was defined but could not start: \(VNetError.from(error).message); "
                    + "it and its reservations\(definition.overlay == nil ? "" : " and disk overlay") were removed again, so nothing changed")
        }
    }

    /// Checks what can be checked before the VM's networks exist: name, size, template, the disk
    /// overlay's base and pool, and the MACs given explicitly. `apply` runs it for every new VM
    /// before its first change.
    public static func precheck(
        _ spec: VMSpec, inventory: Inventory, macs: MACInventory, on connection: Connection, templates: TemplateLibrary
    ) throws(VNetError) {
        try checkBasics(spec, inventory: inventory)
        try NICHostCheck.check(spec)
        try TemplateKeys.check(spec.settings, against: try templates.source(.domain, spec.template))
        _ = try DiskOverlay.plan(spec, inventory: inventory, on: connection)
        var allocator = MACAllocator(inventory: macs)
        for nic in spec.nics {
            if let mac = nic.mac { try allocator.take(mac, vm: spec.name, network: nic.network) }
        }
        try MACOwnership.checkNICs(of: spec, inventory: inventory)
    }

    /// The inventory's network `name`, refused as invalid input when there is none.
    private static func network(named name: String, in inventory: Inventory) throws(VNetError) -> Inventory.NetworkEntry {
        guard let entry = inventory.network(named: name) else {
            throw VNetError(.invalidInput, "no network named '\(name)'; 'vnetctl list networks' shows what exists", code: .notFound)
        }
        return entry
    }

    /// Why `ip` cannot be a guest's reserved address in a network with this subnet, gateway and
    /// DHCP, or nil when it can: the one check `define vm` and `apply` share.
    static func addressProblem(_ ip: IPv4Address, subnet: IPv4CIDR?, gateway: IPv4Address?, hasDHCP: Bool) -> String? {
        guard let subnet, hasDHCP else { return "there is no DHCP server to reserve \(ip) in" }
        guard subnet.contains(ip) else { return "\(ip) is outside the subnet \(subnet)" }
        if ip == subnet.network { return "\(ip) is the network address of \(subnet)" }
        if ip == subnet.broadcast { return "\(ip) is the broadcast address of \(subnet)" }
        if ip == gateway { return "\(ip) is the host's own address in \(subnet)" }
        return nil
    }

    private static func checkBasics(_ spec: VMSpec, inventory: Inventory) throws(VNetError) {
        do {
            _ = try ObjectName(spec.name)
        } catch {
            throw .invalidInput("VM name \(error.message)")
        }
        if inventory.domain(named: spec.name) != nil {
            throw .invalidInput(
                "VM '\(spec.name)' already exists; choose another name or 'vnetctl undefine vm \(spec.name)' first")
        }
        guard VMSpec.memoryRangeMiB.contains(spec.memoryMiB) else {
            throw .invalid(
                .memory, "\(spec.memoryMiB)MiB is out of range; give \(VMSpec.memoryRangeMiB.lowerBound)MiB "
                    + "to \(VMSpec.memoryRangeMiB.upperBound / 1024)GiB")
        }
        guard VMSpec.vcpuRange.contains(spec.vcpus) else {
            throw .invalid(.vcpus, "\(spec.vcpus) is out of range; give \(VMSpec.vcpuRange.lowerBound)-\(VMSpec.vcpuRange.upperBound)")
        }
        guard !spec.nics.isEmpty else {
            throw .invalid(.nic, "is missing: a VM needs at least one NIC")
        }
    }

    /// Checks each `ip=` against its network and names the reservations.
    private static func plannedNICs(_ spec: VMSpec, macs: [MACAddress], states: [String: NetworkDHCPState])
        throws(VNetError) -> [VMDefinition.NIC]
    {
        var hostnamesUsed: [String: Int] = [:]
        var ipsUsed: Set<String> = []
        var nics: [VMDefinition.NIC] = []
        for (nic, mac) in zip(spec.nics, macs) {
            guard let ip = nic.ip, let network = nic.network else {
                nics.append(.init(nic.attachment, model: nic.model, mac: mac))
                continue
            }
            let state = states[network]!
            let option = "\(network),ip=\(ip)"
            if let problem = addressProblem(ip, subnet: state.subnet, gateway: state.gateway, hasDHCP: state.hasDHCP) {
                throw .invalid(.nic, "\(option): \(problem) (network '\(network)'); pick a guest address in it")
            }
            if let other = state.reservations.first(where: { $0.ip == ip && $0.mac != mac }) {
                throw .invalid(
                    .nic, "\(option): \(ip) is already reserved for \(other.mac?.description ?? "another MAC")"
                        + (other.name.map { " (\($0))" } ?? "") + "; pick another address")
            }
            guard ipsUsed.insert("\(network)/\(ip)").inserted else {
                throw .invalid(.nic, "\(option): two NICs of VM '\(spec.name)' ask for \(ip); give each its own address")
            }
            if let booked = state.reservations.first(where: { $0.mac == mac && $0.ip != ip }) {
                throw .invalid(
                    .nic, "\(option): MAC \(mac) is already reserved for \(booked.ip?.description ?? "another address") "
                        + "in network '\(network)'; use that address or drop mac=")
            }
            let base = DNSNames.hostname(for: spec.name)
            let count = hostnamesUsed[network, default: 0]
            hostnamesUsed[network] = count + 1
            let hostname = count == 0 ? base : "\(base)-\(count)"
            // libvirt refuses a second DHCP host with the same name, so say so before changing anything.
            if let named = state.reservations.first(where: { $0.name?.lowercased() == hostname.lowercased() && $0.mac != mac }) {
                throw .invalid(
                    .nic, "\(option): network '\(network)' already has a reservation named '\(hostname)' "
                        + "(\(named.mac?.description ?? "?") \(named.ip?.description ?? "?")); name the VM differently "
                        + "or remove that reservation")
            }
            nics.append(.init(nic.attachment, model: nic.model, mac: mac, ip: ip, hostname: hostname))
        }
        return nics
    }

    private static func templateValues(_ spec: VMSpec, template: String) -> TemplateRenderer.Values {
        var metadata: TemplateRenderer.Values = [
            "namespace": VNetMetadata.namespace, "template": template, "version": ToolInfo.version,
        ]
        metadata["topology"] = spec.topology
        return [
            "name": spec.name,
            "virtType": FileManager.default.isWritableFile(atPath: "/dev/kvm") ? "kvm" : "qemu",
            "memoryMiB": String(spec.memoryMiB),
            "vcpus": String(spec.vcpus),
            "nics": spec.nics.map(nicValues),
            "metadata": metadata,
        ]
    }

    /// One entry of the template's `nics`: `type` and `model`, and `network`, `bridge`, `direct`
    /// (`device`, `mode`) or `user` (`address`, `prefix` of its net) by kind.
    private static func nicValues(_ nic: VMSpec.NIC) -> TemplateRenderer.Values {
        var values: TemplateRenderer.Values = ["type": nic.attachment.type, "model": nic.model]
        switch nic.attachment {
        case .network(let name): values["network"] = name
        case .bridge(let bridge): values["bridge"] = bridge
        case .direct(let device, let mode): values["direct"] = ["device": device, "mode": mode.rawValue]
        case .user(let subnet):
            values["user"] = subnet.map { ["address": $0.network.description, "prefix": String($0.prefix)] } ?? [:]
        }
        return values
    }

    /// Gives each `<interface>` without a `<mac>` the planned MAC of its NIC (in order), checks the
    /// MACs a template wrote itself, and checks that every network an interface names exists.
    private static func assignMACs(
        _ document: XMLDocument, nics: [VMDefinition.NIC], spec: VMSpec, allocator: inout MACAllocator,
        inventory: Inventory
    ) throws(VNetError) -> [VMDefinition.NIC] {
        let interfaces: [XMLElement]
        do {
            interfaces = try document.elements("/domain/devices/interface")
        } catch {
            throw VNetError.from(error)
        }
        var result: [VMDefinition.NIC] = []
        for (index, interface) in interfaces.enumerated() {
            let network = (try? interface.firstElement("source"))??.attribute("network")
            if let network, network != nics[safe: index]?.network {
                _ = try Self.network(named: network, in: inventory)
            }
            if let existing = (try? interface.firstElement("mac"))??.attribute("address") {
                let mac: MACAddress
                do {
                    mac = try MACAddress(existing)
                } catch {
                    throw .invalidInput("template \(spec.template): interface \(index + 1) has a bad MAC: \(error.message)")
                }
                if nics[safe: index]?.mac != mac { try allocator.take(mac, vm: spec.name, network: network) }
                result.append(nics[safe: index].map { planned in
                    var nic = planned
                    nic.mac = mac
                    return nic
                } ?? .init(templateInterface: interface, mac: mac))
                continue
            }
            let nic = nics[safe: index]
                ?? .init(
                    templateInterface: interface,
                    mac: allocator.allocate(vm: spec.name, nic: index, seed: spec.macSeed, network: network))
            interface.addChild("mac").setAttribute("address", nic.mac.description)
            result.append(nic)
        }
        if interfaces.count < nics.count {
            throw .invalidInput(
                "template \(spec.template) renders \(interfaces.count) <interface> element(s) for \(nics.count) NIC(s); "
                    + "render one per entry of 'nics'")
        }
        return result
    }

    /// Everything `define vm` does: read the inventory once (its MACs, networks and domains),
    /// prepare and, unless `dryRun`, define (and start) the VM, all under the host lock, so that
    /// concurrent vnetctl processes never pick the same MAC.
    public static func run(_ spec: VMSpec, on connection: Connection, start: Bool, dryRun: Bool) throws(VNetError)
        -> VMDefinition
    {
        let templates = try TemplateLibrary.shipped()
        return try HostLock.withLock { () throws(VNetError) in
            let inventory = try Inventory.read(connection)
            if start, !dryRun, let (domain, definition) = VMAdoption.leftover(spec, inventory: inventory, on: connection, templates: templates) {
                try startLeftover(domain, definition)
                return definition
            }
            let definition = try prepare(spec, inventory: inventory, macs: MACInventory(inventory), on: connection, templates: templates)
            if !dryRun { try define(definition, inventory: inventory, on: connection, start: start) }
            return definition
        }
    }
}

extension VMDefiner {
    /// Starts the VM an earlier, cut-off run of the same command defined; a failure leaves it
    /// defined, as that run did.
    static func startLeftover(_ domain: Domain, _ definition: VMDefinition) throws(VNetError) {
        do {
            try domain.start()
        } catch {
            throw .failure(
                "VM '\(definition.name)', defined by an earlier run that was cut off, could not start: \(VNetError.from(error).message); "
                    + "'vnetctl start vm \(definition.name)' tries again")
        }
    }
}

extension VMDefinition.NIC {
    /// A NIC that a user's template renders beyond the spec's, as its `<interface>` says.
    init(templateInterface interface: XMLElement, mac: MACAddress) {
        let source = (try? interface.firstElement("source")) ?? nil
        let type = interface.attribute("type") ?? "network"
        let model = ((try? interface.firstElement("model")) ?? nil)?.attribute("type") ?? VMSpec.NIC.defaultModel
        switch type {
        case "bridge": self.init(.bridge(source?.attribute("bridge") ?? "-"), model: model, mac: mac)
        case "direct":
            let mode = VMSpec.NIC.DirectMode(rawValue: source?.attribute("mode") ?? "") ?? .vepa
            self.init(.direct(device: source?.attribute("dev") ?? "-", mode: mode), model: model, mac: mac)
        case "user": self.init(.user(subnet: nil), model: model, mac: mac)
        default: self.init(.network(source?.attribute("network") ?? "-"), model: model, mac: mac)
        }
        kind = type
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
