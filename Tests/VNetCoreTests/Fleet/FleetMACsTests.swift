import Testing
@testable import VNetCore

/// `FleetMACs`: the MACs a fleet plan gives each host's new VMs are unique across the hosts, and
/// each host's applier, seeing the other hosts' MACs as taken, arrives at exactly those MACs, so
/// the hosts can be applied concurrently. Hand-built inventories, no daemon.
struct FleetMACsTests {
    static let hosts = ["h1", "h2"]

    static func plan(_ names: [String]) -> TopologyPlan {
        TopologyPlan(actions: [], networkSteps: [], vmSteps: names.map { name in
            .create(VMSpec(name: name, nics: [.init(network: "lan"), .init(network: "lan")]), start: false)
        })
    }

    /// The MACs `TopologyApplier` would give `names` on `host`: an allocator per VM over the
    /// host's own MACs and `foreign`, each VM's MACs recorded before the next.
    static func applied(_ names: [String], foreign: [MACInventory.Use]) -> [MACAddress] {
        var macs = MACInventory(uses: foreign)
        var given: [MACAddress] = []
        for name in names {
            var allocator = MACAllocator(inventory: macs)
            for index in 0..<2 {
                let mac = allocator.allocate(vm: name, nic: index, network: "lan")
                macs.record(.init(mac: mac, kind: .domainNIC, owner: name, detail: nil))
                given.append(mac)
            }
        }
        return given
    }

    @Test(arguments: [1, 20])
    func sameNamesOnTwoHostsGetDistinctMACsAndEachApplierArrivesAtThem(vms: Int) {
        let names = (1...vms).map { "web\($0)" }
        var macs = FleetMACs(inventories: ["h1": Inventory(), "h2": Inventory()], explicit: [])
        for host in Self.hosts { macs.allocate(Self.plan(names), on: host, inventory: Inventory()) }
        let planned = Self.hosts.map { macs.planned[$0, default: []].map(\.mac) }
        #expect(planned.allSatisfy { $0.count == vms * 2 })
        #expect(Set(planned.flatMap { $0 }).count == vms * 4, "a MAC planned twice across the hosts")
        for (index, host) in Self.hosts.enumerated() {
            #expect(Self.applied(names, foreign: macs.foreign(to: host)) == planned[index], "host \(host) would apply other MACs")
        }
    }

    @Test func anotherHostsExplicitMACIsAvoidedAndNamesItsHost() throws {
        var free = MACAllocator(inventory: MACInventory(uses: []))
        let derived = free.allocate(vm: "web1", nic: 0, network: "lan")
        let spec = VMSpec(name: "db", nics: [.init(network: "lan", mac: derived)])
        var macs = FleetMACs(
            inventories: ["h1": Inventory(), "h2": Inventory()], explicit: [("h1", FleetMACs.use(derived, of: spec, nic: 0))])
        macs.allocate(Self.plan(["web1"]), on: "h2", inventory: Inventory())
        #expect(!macs.planned["h2", default: []].map(\.mac).contains(derived))
        let foreign = macs.foreign(to: "h2")
        #expect(foreign.contains { $0.mac == derived && $0.description == "NIC of VM 'db' on host 'h1' on network 'lan'" }, "\(foreign)")
    }
}
