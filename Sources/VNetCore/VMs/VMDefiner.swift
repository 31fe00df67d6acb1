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
    /// domain XML, a function of its arguments: the disk overlay's pool is `inventory`'s.
    ///
    /// The XML is not checked against libvirt's schema here: `define` has libvirt check it, on the
    /// host that will run the VM, and `checkSchema` checks it on this machine for a dry run.
    /// Compiling the domain schema costs more memory than reading a thousand domains.
    ///
    /// Callers that go on to `define` must hold the `HostLock` from before the inventory is read
    /// until `define` returns, so no other vnetctl process can take the same MACs meanwhile.
    public static func prepare(
        _ spec: VMSpec, inventory: Inventory, macs: MACInventory, templates: TemplateLibrary
    ) throws(VNetError) -> VMDefinition {
        try checkBasics(spec, inventory: inventory)
        try NICHostCheck.check(spec, host: inventory.host)
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
        let assignedMACs = VMMACOrder.macs(spec, adopted: adopted, allocator: &allocator, inventory: inventory)
        let nics = try plannedNICs(spec, macs: assignedMACs, states: states)

        let source = try templates.source(.domain, spec.template)
        try TemplateKeys.check(spec.settings, against: source)
        var overlay = try DiskOverlay.plan(spec, inventory: inventory)
        let settings = spec.settings.merging(overlay.map { ["disk.overlay": $0.path] } ?? [:]) { $1 }
        let values = try TemplateRenderer.merging(settings, into: templateValues(spec, template: source.name))
        let document = try TemplateRenderer.render(source, values: values)
        let assigned = try assignMACs(document, nics: nics, spec: spec, allocator: &allocator, inventory: inventory)
        if let planned = overlay {
            overlay = try record(planned, in: document, template: source.name)
        }
        return VMDefinition(
            name: spec.name, template: source.name, templatePath: source.path, nics: assigned, overlay: overlay,
            xml: document.serialized(formatted: true))
    }

    /// Checks a prepared definition against this machine's copy of libvirt's domain schema: what
    /// a dry run does in place of the check libvirt makes when it defines.
    public static func checkSchema(_ definition: VMDefinition) throws(VNetError) {
        let document: XMLDocument
        do {
            document = try XMLDocument(readingOnly: definition.xml, source: "VM \(definition.name)")
        } catch {
            throw VNetError.from(error)
        }
        try TemplateRenderer.validate(document, templatePath: definition.templatePath, schema: "domain")
    }

    /// Checks what can be checked before the VM's networks exist: name, size, template, the disk
    /// overlay's base and pool, and the MACs given explicitly. `apply` runs it for every new VM
    /// before its first change.
    public static func precheck(
        _ spec: VMSpec, inventory: Inventory, macs: MACInventory, templates: TemplateLibrary
    ) throws(VNetError) {
        try checkBasics(spec, inventory: inventory)
        try NICHostCheck.check(spec, host: inventory.host)
        try TemplateKeys.check(spec.settings, against: try templates.source(.domain, spec.template))
        _ = try DiskOverlay.plan(spec, inventory: inventory)
        var allocator = MACAllocator(inventory: macs)
        for nic in spec.nics {
            if let mac = nic.mac { try allocator.take(mac, vm: spec.name, network: nic.network) }
        }
        try MACOwnership.checkNICs(of: spec, inventory: inventory)
    }

    /// The inventory's network `name`, refused as invalid input when there is none.
    static func network(named name: String, in inventory: Inventory) throws(VNetError) -> Inventory.NetworkEntry {
        guard let entry = inventory.network(named: name) else {
            throw VNetError.naming(
                .invalidInput, "no network named '\(name)'; '", OperationAction(.list, .network), then: "' shows what exists",
                code: .notFound)
        }
        return entry
    }

    private static func checkBasics(_ spec: VMSpec, inventory: Inventory) throws(VNetError) {
        do {
            _ = try ObjectName(spec.name)
        } catch {
            throw .invalidInput("VM name \(error.message)")
        }
        if inventory.domain(named: spec.name) != nil {
            throw .naming(
                .invalidInput, "VM '\(spec.name)' already exists; choose another name or '",
                OperationAction(.undefine, .vm, named: spec.name), then: "' first")
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

    /// Everything `define vm` does: read the inventory once (its MACs, networks and domains),
    /// prepare and, unless `dryRun`, define (and start) the VM, all under the host lock, so that
    /// concurrent vnetctl processes never pick the same MAC; `lockWait` says how long it waits for the lock and who hears that it does.
    public static func run(
        _ spec: VMSpec, on connection: Connection, start: Bool, dryRun: Bool,
        lockWait: HostLock.Wait = HostLock.Wait()
    ) throws(VNetError) -> VMDefinition {
        let templates = try TemplateLibrary.shipped()
        return try HostLock.withLock(lockWait) { () throws(VNetError) in
            var scope = Inventory.Scope(.all)
            scope.volumes = DiskOverlay.volumes(for: [spec])
            let inventory = try Inventory.read(connection, scope)
            if start, !dryRun, let (domain, definition) = VMAdoption.leftover(spec, inventory: inventory, templates: templates) {
                try startLeftover(domain, definition)
                return definition
            }
            let definition = try prepare(spec, inventory: inventory, macs: MACInventory(inventory), templates: templates)
            if dryRun {
                try checkSchema(definition)
            } else {
                try define(definition, inventory: inventory, on: connection, start: start)
            }
            return definition
        }
    }
}
