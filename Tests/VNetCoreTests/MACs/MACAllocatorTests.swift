import Testing
@testable import VNetCore
import HostNet

/// `MACAllocator` and `MACInventory` without a daemon: derivation, probing, explicit MACs and the
/// duplicate rules.
struct MACAllocatorTests {
    typealias Use = MACInventory.Use

    static func mac(_ text: String) -> MACAddress { try! MACAddress(text) }

    static func nic(_ mac: MACAddress, vm: String, network: String? = "lab") -> Use {
        Use(mac: mac, kind: .domainNIC, owner: vm, detail: network.map { "network '\($0)'" })
    }

    static func reservation(_ mac: MACAddress, network: String, ip: String = "10.123.4.10") -> Use {
        Use(mac: mac, kind: .reservation, owner: network, detail: ip)
    }

    static func host(_ mac: MACAddress, interface: String) -> Use {
        Use(mac: mac, kind: .hostInterface, owner: interface, detail: nil)
    }

    /// The MAC NIC `index` of `vm` derives on an empty host.
    static func derived(vm: String, nic index: Int = 0, seed: String? = nil) -> MACAddress {
        var allocator = MACAllocator(inventory: MACInventory(uses: []))
        return allocator.allocate(vm: vm, nic: index, seed: seed, network: "lab")
    }

    /// The suffix after `suffix`, skipping the all-zero and all-one suffixes as the allocator does.
    static func next(_ mac: MACAddress) -> MACAddress {
        var suffix = (mac.suffix + 1) & 0xFF_FFFF
        while suffix == 0 || suffix == 0xFF_FFFF { suffix = (suffix + 1) & 0xFF_FFFF }
        return MACAddress(MACAddress.qemuPrefix, suffix: suffix)
    }

    // MARK: derivation

    @Test func sameVMNICAndSeedDeriveTheSameMACInFreshAllocators() {
        #expect(Self.derived(vm: "web1") == Self.derived(vm: "web1"))
        #expect(Self.derived(vm: "web1", nic: 2, seed: "x") == Self.derived(vm: "web1", nic: 2, seed: "x"))
    }

    @Test func seedNICIndexAndNameEachChangeTheMAC() {
        let base = Self.derived(vm: "web1")
        #expect(Self.derived(vm: "web1", seed: "x") != base)
        #expect(Self.derived(vm: "web1", seed: "x") != Self.derived(vm: "web1", seed: "y"))
        #expect(Self.derived(vm: "web1", nic: 1) != base)
        #expect(Self.derived(vm: "web2") != base)
    }

    @Test func theHostUUIDChangesTheMACAndTheSameHostKeepsIt() {
        func derived(on uuid: String?) -> MACAddress {
            var allocator = MACAllocator(inventory: MACInventory(uses: [], hostUUID: uuid))
            return allocator.allocate(vm: "web1", nic: 0, network: "lab")
        }
        let h1 = "84d37958-2a5d-4675-b976-1e68c5e6153f", h2 = "0b5c8c36-34a4-4f39-9d8e-8f5e0c6f2a11"
        #expect(derived(on: h1) == derived(on: h1))
        #expect(derived(on: h1) != derived(on: h2))
        #expect(derived(on: h1) != derived(on: nil))
    }

    @Test func aMACTheNICsLANCarriesIsSkippedAndOnlyOnThatLAN() {
        let free = Self.derived(vm: "web1")
        var allocator = MACAllocator(inventory: MACInventory(uses: [], lanMACs: ["br0": [free]]))
        #expect(allocator.allocate(vm: "web1", nic: 0, network: nil, lan: ["br0"]) == Self.next(free))
        var other = MACAllocator(inventory: MACInventory(uses: [], lanMACs: ["br0": [free]]))
        #expect(other.allocate(vm: "web1", nic: 0, network: nil, lan: ["br1"]) == free)
    }

    @Test(arguments: [
        (VMSpec.NIC.Attachment.bridge("br-up"), ["br-up"]), (.bridge("br-taps"), []), (.direct(device: "eth0", mode: .vepa), ["eth0"]),
        (.user(subnet: nil), []), (.network("missing"), []),
    ])
    func theLANDevicesOfANIC(attachment: VMSpec.NIC.Attachment, expected: [String]) {
        var inventory = Inventory()
        inventory.host.links = [
            HostLink(index: 1, name: "br-up", kind: .bridge, mtu: 1500, isUp: true),
            HostLink(index: 2, name: "veth0", kind: .veth, mtu: 1500, isUp: true, masterIndex: 1),
            HostLink(index: 3, name: "br-taps", kind: .bridge, mtu: 1500, isUp: true),
            HostLink(index: 4, name: "vnet0", kind: .tun, mtu: 1500, isUp: true, masterIndex: 3),
        ]
        #expect(MACInventory.lanDevices(for: attachment, in: inventory) == expected)
    }

    @Test func theForwardingDatabaseCountsUnderItsBridgeAndItsPort() {
        var inventory = Inventory()
        inventory.host.links = [
            HostLink(index: 1, name: "br0", kind: .bridge, mtu: 1500, isUp: true),
            HostLink(index: 2, name: "eth1", kind: .ethernet, mtu: 1500, isUp: true, masterIndex: 1),
        ]
        inventory.host.forwardingDatabase = [
            HostFDBEntry(mac: "52:54:00:aa:bb:cc", linkIndex: 2, masterIndex: 1),
            HostFDBEntry(mac: "33:33:00:00:00:01", linkIndex: 2, masterIndex: 1, permanent: true),
        ]
        let macs = MACInventory(inventory)
        #expect(macs.lanMACs == ["br0": [Self.mac("52:54:00:aa:bb:cc")], "eth1": [Self.mac("52:54:00:aa:bb:cc")]])
        #expect(macs.uses.isEmpty, "a LAN's MACs are not uses of this host")
    }

    @Test(arguments: ["web1", "db", "vnt-vm-abcdef", "a-very-long-virtual-machine-name-0123456789"])
    func allocatedMACsUseTheQEMUPrefixAndAreUnicastAndNonZero(vm: String) {
        for index in 0..<8 {
            let mac = Self.derived(vm: vm, nic: index)
            #expect(mac.prefix == MACAddress.qemuPrefix, "\(mac)")
            #expect(mac.description.hasPrefix("52:54:00:"), "\(mac)")
            #expect(!mac.isMulticast && !mac.isZero, "\(mac)")
            #expect(mac.suffix != 0 && mac.suffix != 0xFF_FFFF, "\(mac)")
        }
    }

    @Test func oneAllocatorNeverHandsOutAMACTwice() {
        var allocator = MACAllocator(inventory: MACInventory(uses: []))
        var seen = Set<MACAddress>()
        for round in 0..<50 {
            // The same VM and NIC every time: each allocation must probe past all the earlier ones.
            let mac = allocator.allocate(vm: "web1", nic: 0, network: "lab")
            #expect(seen.insert(mac).inserted, "round \(round) repeated \(mac)")
        }
        #expect(seen.count == 50)
    }

    // MARK: probing past MACs in use

    @Test(arguments: [Use.Kind.domainNIC, .reservation, .hostInterface])
    func derivedMACInUseProbesToTheNextSuffix(kind: Use.Kind) {
        let derived = Self.derived(vm: "web1")
        let use = Use(mac: derived, kind: kind, owner: "someone", detail: nil)
        var allocator = MACAllocator(inventory: MACInventory(uses: [use]))
        let mac = allocator.allocate(vm: "web1", nic: 0, network: "lab")
        #expect(mac != derived)
        #expect(mac == Self.next(derived))
    }

    @Test func aRunOfMACsInUseIsProbedPast() {
        let derived = Self.derived(vm: "web1", seed: "s")
        var uses: [Use] = []
        var mac = derived
        for index in 0..<40 {
            uses.append(Self.nic(mac, vm: "other\(index)"))
            mac = Self.next(mac)
        }
        let inventory = MACInventory(uses: uses)
        var allocator = MACAllocator(inventory: inventory)
        let allocated = allocator.allocate(vm: "web1", nic: 0, seed: "s", network: "lab")
        #expect(allocated == mac)
        #expect(inventory.uses(of: allocated).isEmpty)
    }

    @Test func neverReturnsAMACOfTheInventory() {
        // Every MAC the first allocator hands out is in use for the second: none may come back.
        var first = MACAllocator(inventory: MACInventory(uses: []))
        let used = (0..<100).map { first.allocate(vm: "vm\($0 % 10)", nic: $0 / 10, network: "lab") }
        let inventory = MACInventory(uses: used.map { Self.nic($0, vm: "x") })
        var second = MACAllocator(inventory: inventory)
        for index in 0..<100 {
            let mac = second.allocate(vm: "vm\(index % 10)", nic: index / 10, network: "lab")
            #expect(!used.contains(mac), "\(mac) is in the inventory")
        }
    }

    // MARK: explicit MACs

    @Test func takeRefusesTheAllZeroMAC() {
        var allocator = MACAllocator(inventory: MACInventory(uses: []))
        do {
            try allocator.take(Self.mac("00:00:00:00:00:00"), vm: "web1", network: "lab")
            Issue.record("the all-zero MAC was accepted")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("zero"))
        }
    }

    @Test(arguments: ["01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "33:33:00:00:00:01", "53:54:00:12:34:56"])
    func takeRefusesMulticastMACs(text: String) {
        var allocator = MACAllocator(inventory: MACInventory(uses: []))
        do {
            try allocator.take(Self.mac(text), vm: "web1", network: "lab")
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("multicast"), "\(error.message)")
        }
    }

    @Test func takeRefusesAMACOfAnotherDomainsNICNamingTheOwner() {
        let mac = Self.mac("52:54:00:12:34:56")
        var allocator = MACAllocator(inventory: MACInventory(uses: [Self.nic(mac, vm: "db1", network: "lab-nat")]))
        do {
            try allocator.take(mac, vm: "web1", network: "lab")
            Issue.record("a MAC used by db1 was accepted")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("'db1'"), "\(error.message)")
            #expect(error.message.contains("52:54:00:12:34:56"), "\(error.message)")
        }
    }

    @Test func takeRefusesAMACOfAHostInterfaceNamingIt() {
        let mac = Self.mac("52:54:00:ab:cd:ef")
        var allocator = MACAllocator(inventory: MACInventory(uses: [Self.host(mac, interface: "virbr7")]))
        do {
            try allocator.take(mac, vm: "web1", network: "lab")
            Issue.record("a host interface's MAC was accepted")
        } catch {
            #expect(error.message.contains("virbr7"), "\(error.message)")
        }
    }

    @Test func takeRefusesTheSameMACGivenTwice() throws {
        let mac = Self.mac("52:54:00:12:34:56")
        var allocator = MACAllocator(inventory: MACInventory(uses: []))
        try allocator.take(mac, vm: "web1", network: "lab")
        do {
            try allocator.take(mac, vm: "web1", network: "lab2")
            Issue.record("the same MAC was taken twice")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("two NICs"), "\(error.message)")
        }
    }

    @Test func takeAcceptsAMACUsedOnlyByAReservation() throws {
        let mac = Self.mac("52:54:00:12:34:56")
        var allocator = MACAllocator(inventory: MACInventory(uses: [Self.reservation(mac, network: "lab")]))
        try allocator.take(mac, vm: "web1", network: "lab")
    }

    @Test func aTakenMACIsNotAllocatedAgain() throws {
        let derived = Self.derived(vm: "web1")
        var allocator = MACAllocator(inventory: MACInventory(uses: []))
        try allocator.take(derived, vm: "web1", network: "lab")
        #expect(allocator.allocate(vm: "web1", nic: 0, network: "lab") == Self.next(derived))
    }

    // MARK: duplicates

    static let shared = mac("52:54:00:00:00:42")

    @Test func twoDomainNICsWithOneMACAreADuplicate() {
        let inventory = MACInventory(uses: [Self.nic(Self.shared, vm: "a"), Self.nic(Self.shared, vm: "b")])
        #expect(inventory.duplicates.count == 1)
        #expect(Set(inventory.duplicates.first?.map(\.owner) ?? []) == ["a", "b"])
    }

    @Test func aNICAndAReservationOfItsMACAreNotADuplicate() {
        let inventory = MACInventory(uses: [Self.nic(Self.shared, vm: "a"), Self.reservation(Self.shared, network: "lab")])
        #expect(inventory.duplicates.isEmpty)
    }

    @Test func reservationsOfOneMACInDifferentNetworksAreNotADuplicate() {
        let inventory = MACInventory(uses: [
            Self.reservation(Self.shared, network: "lab1"), Self.reservation(Self.shared, network: "lab2"),
        ])
        #expect(inventory.duplicates.isEmpty)
    }

    @Test func twoReservationsOfOneMACInOneNetworkAreADuplicate() {
        let inventory = MACInventory(uses: [
            Self.reservation(Self.shared, network: "lab1", ip: "10.123.4.10"),
            Self.reservation(Self.shared, network: "lab1", ip: "10.123.4.11"),
        ])
        #expect(inventory.duplicates.count == 1)
    }

    @Test func aHostInterfaceAndANICWithOneMACAreADuplicate() {
        let inventory = MACInventory(uses: [Self.host(Self.shared, interface: "eth0"), Self.nic(Self.shared, vm: "a")])
        #expect(inventory.duplicates.count == 1)
        #expect(Set(inventory.duplicates.first?.map(\.kind) ?? []) == [.hostInterface, .domainNIC])
    }

    /// A Linux bridge without a MAC of its own takes its first port's: br0 and eth0 share one.
    @Test func aBridgeAndItsPortWithOneMACAreNoDuplicate() {
        let inventory = MACInventory(uses: [Self.host(Self.shared, interface: "br0"), Self.host(Self.shared, interface: "eth0")])
        #expect(inventory.duplicates.isEmpty)
    }

    @Test func distinctMACsAreNoDuplicates() {
        let inventory = MACInventory(uses: [
            Self.nic(Self.mac("52:54:00:00:00:01"), vm: "a"), Self.nic(Self.mac("52:54:00:00:00:02"), vm: "b"),
            Self.host(Self.mac("52:54:00:00:00:03"), interface: "eth0"),
            Self.reservation(Self.mac("52:54:00:00:00:04"), network: "lab"),
        ])
        #expect(inventory.duplicates.isEmpty)
    }

    @Test func duplicatesAreGroupedPerMACAndSorted() {
        let other = Self.mac("52:54:00:00:00:07")
        let inventory = MACInventory(uses: [
            Self.nic(Self.shared, vm: "a"), Self.nic(other, vm: "c"), Self.nic(Self.shared, vm: "b"),
            Self.nic(other, vm: "d"), Self.nic(Self.mac("52:54:00:00:00:99"), vm: "e"),
        ])
        #expect(inventory.duplicates.map { $0[0].mac } == [other, Self.shared])
        #expect(inventory.duplicates.allSatisfy { $0.count == 2 })
    }

    @Test func useDescriptionsNameTheirOwners() {
        #expect(Self.nic(Self.shared, vm: "db1", network: "lab").description == "NIC of VM 'db1' on network 'lab'")
        #expect(Self.reservation(Self.shared, network: "lab").description.contains("network 'lab'"))
        #expect(Self.host(Self.shared, interface: "eth0").description.contains("eth0"))
    }
}
