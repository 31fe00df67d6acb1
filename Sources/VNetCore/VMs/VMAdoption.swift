import Libvirt

/// Makes `define vm … --start` converge after it was cut off between defining the domain and
/// starting it: a rerun starts the VM it left instead of refusing the name.
///
/// The domain left is taken over only when vnetctl's metadata marks it, it is persistent and shut
/// off, and its saved config has the size, NICs (MACs included), disks and metadata that the same
/// command plans now, planned as if that domain were not there (so its reservations are adopted as
/// a cut-off define's). Anything else keeps "already exists".
enum VMAdoption {
    /// What a defined domain and a planned one must agree on.
    struct Facts: Equatable {
        struct NIC: Equatable {
            var kind: String
            var source: DomainNIC.Source
            var mac: String?
            var model: String?
        }

        var memoryMiB: Int?
        var vcpus: Int?
        var nics: [NIC]
        var disks: [DomainConfig.Disk]
        var metadata: DomainConfig.Metadata?

        init(_ config: DomainConfig) {
            memoryMiB = config.memoryMiB
            vcpus = config.vcpus
            nics = config.nics.map { NIC(kind: $0.kind, source: $0.source, mac: $0.mac?.lowercased(), model: $0.model) }
            disks = config.disks
            metadata = config.metadata
        }
    }

    /// The domain to start, with the definition it matches, or nil.
    static func leftover(
        _ spec: VMSpec, inventory: Inventory, templates: TemplateLibrary
    ) -> (Domain, VMDefinition)? {
        guard let entry = inventory.domain(named: spec.name), entry.persistent, entry.state == .shutoff,
            entry.inactive.metadata != nil
        else { return nil }
        var others = inventory
        others.domains.removeAll { $0.name == spec.name }
        guard let definition = try? VMDefiner.prepare(spec, inventory: others, macs: MACInventory(others), templates: templates),
            let planned = try? DomainConfig(xml: definition.xml, source: "domain \(spec.name)"),
            Facts(planned) == Facts(entry.inactive)
        else { return nil }
        return (entry.domain, definition)
    }
}
