/// The MACs of a fleet's other hosts, so that each host's allocator hands out only MACs that no
/// host of the file uses or will use.
///
/// Each host's new VMs are allocated in the plan, host by host in the file's order, against every
/// host's inventory and the MACs the hosts before it were given. The applier of a host then sees
/// the other hosts' MACs as taken, and its allocator (deterministic, first free MAC on a probe
/// path) arrives at the MACs the plan gave it, so the hosts may be applied concurrently.
struct FleetMACPlan {
    /// Per host name: the MACs its inventory holds, each use naming that host.
    private var existing: [String: [MACInventory.Use]] = [:]
    /// Per host name: the MACs the plan gives its new VMs.
    private(set) var planned: [String: [MACInventory.Use]] = [:]

    /// `explicit` are the MACs the file gives its NICs, with their hosts: every host's plan avoids
    /// them from the start, and a host's explicit MAC that another host holds is refused.
    init(inventories: [String: Inventory], explicit: [(host: String, use: MACInventory.Use)]) {
        for (host, inventory) in inventories {
            existing[host] = MACInventory(inventory).uses.map { Self.naming(host, $0) }
        }
        for (host, use) in explicit { planned[host, default: []].append(Self.naming(host, use)) }
    }

    /// The uses of every host but `host`: its inventory's and its plan's.
    func foreign(to host: String) -> [MACInventory.Use] {
        existing.filter { $0.key != host }.sorted { $0.key < $1.key }.flatMap(\.value)
            + planned.filter { $0.key != host }.sorted { $0.key < $1.key }.flatMap(\.value)
    }

    /// Allocates the MACs of the VMs `plan` creates on `host`, as its applier will: explicit MACs
    /// first, then reservations a VM adopts, then derived ones (``VMMACOrder``), VM after VM.
    mutating func allocate(_ plan: TopologyPlan, on host: String, inventory: Inventory) {
        var macs = MACInventory(inventory).adding(foreign(to: host))
        var states: [String: NetworkDHCPState] = [:]
        for entry in inventory.networks { states[entry.name] = NetworkDHCPState(entry) }
        var given: [MACInventory.Use] = []
        for step in plan.vmSteps {
            let spec: VMSpec
            switch step {
            case .create(let created, _):
                spec = created
            case .recreate(_, let recreated, _):
                spec = recreated
                macs.forget(vm: recreated.name)
            case .start, .remove:
                continue
            }
            let adopted = ReservationAdoption.adopted(for: spec, states: states, inventory: macs)
            var claimed = macs
            for (index, mac) in VMMACOrder.fixed(spec, adopted: adopted) { claimed.record(Self.use(mac, of: spec, nic: index)) }
            var allocator = MACAllocator(inventory: claimed)
            for (index, mac) in VMMACOrder.macs(spec, adopted: adopted, allocator: &allocator, inventory: inventory).enumerated() {
                macs.record(Self.use(mac, of: spec, nic: index))
                given.append(Self.naming(host, Self.use(mac, of: spec, nic: index)))
            }
        }
        planned[host] = given
    }

    /// NIC `index` of `spec` holding `mac`.
    static func use(_ mac: MACAddress, of spec: VMSpec, nic index: Int) -> MACInventory.Use {
        MACInventory.Use(mac: mac, kind: .domainNIC, owner: spec.name, detail: spec.nics[index].network.map { "network '\($0)'" })
    }

    /// The use with its host named in its owner, as messages show it ("NIC of VM 'web1' on host
    /// 'h2' on network 'lan'"), so that it is never taken for a VM of the same name on this host.
    private static func naming(_ host: String, _ use: MACInventory.Use) -> MACInventory.Use {
        var use = use
        use.owner += use.kind == .hostInterface ? " on host \(host)" : "' on host '\(host)"
        return use
    }
}
