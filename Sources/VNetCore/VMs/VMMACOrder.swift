/// The order in which a new VM's NICs get their MACs, shared by `define vm`, `apply` and a
/// fleet's plan so that the plan arrives at the MACs each host's applier then gives: the MAC a NIC
/// names explicitly, else the DHCP reservation it adopts, else one derived from the VM's name.
enum VMMACOrder {
    /// The NICs of `spec` whose MAC is fixed before any is derived, by NIC index: the explicit
    /// MACs, and the `adopted` reservations of the others.
    static func fixed(_ spec: VMSpec, adopted: [Int: MACAddress]) -> [Int: MACAddress] {
        var fixed = adopted
        for (index, nic) in spec.nics.enumerated() { if let mac = nic.mac { fixed[index] = mac } }
        return fixed
    }

    /// Every NIC's MAC in that order. `allocator` must count the fixed MACs as taken already; each
    /// derived MAC is free on the NIC's LAN segment too, as `inventory`'s host sees it.
    static func macs(_ spec: VMSpec, adopted: [Int: MACAddress], allocator: inout MACAllocator, inventory: Inventory) -> [MACAddress] {
        let fixed = fixed(spec, adopted: adopted)
        return spec.nics.enumerated().map { index, nic in
            fixed[index]
                ?? allocator.allocate(
                    vm: spec.name, nic: index, seed: spec.macSeed, network: nic.network,
                    lan: MACInventory.lanDevices(for: nic.attachment, in: inventory))
        }
    }
}
