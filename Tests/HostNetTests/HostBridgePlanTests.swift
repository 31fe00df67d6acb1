import Testing

@testable import HostNet

/// The bridge plan's order and inverses, and the checks that need no kernel.
@Suite("HostBridge plan")
struct HostBridgePlanTests {
    @Test("create keeps the address reachable: bridge up with the addresses before the uplink joins, routes added before deleted, addresses leave last")
    func createOrder() {
        let plan = HostBridgeConfigTests.uplinkPlan
        let words = plan.steps.map(\.description)
        #expect(words == [
            "create bridge vntbr0 address 52:54:00:12:34:56 mtu 1500 stp off forward-delay 0",
            "set vntbr0 up",
            "add address 10.123.7.2/24 to vntbr0",
            "add address 10.123.7.3/24 to vntbr0",
            "add address fd00:123:7::2/64 to vntbr0",
            "add vnteth0 to bridge vntbr0",
            "add route default via 10.123.7.1 dev vntbr0",
            "delete route default via 10.123.7.1 dev vnteth0",
            "add route 10.123.50.0/24 via 10.123.7.1 metric 50 dev vntbr0",
            "delete route 10.123.50.0/24 via 10.123.7.1 metric 50 dev vnteth0",
            "add route default via fd00:123:7::1 metric 1024 dev vntbr0",
            "delete route default via fd00:123:7::1 metric 1024 dev vnteth0",
            "delete address fd00:123:7::2/64 from vnteth0",
            "delete address 10.123.7.3/24 from vnteth0",
            "delete address 10.123.7.2/24 from vnteth0",
        ])
    }

    @Test("every step's inverse undoes it")
    func inverses() {
        for step in HostBridgeConfigTests.uplinkPlan.steps {
            #expect(step.inverse.inverse == step)
            #expect(step.inverse != step)
        }
    }

    @Test("delete reverses create", arguments: [true, false])
    func deleteReverses(isUp: Bool) {
        let create = HostBridgeConfigTests.uplinkPlan
        let delete = HostBridgePlan.deleting(
            create.bridge, isUp: isUp, ports: ["vnteth0"], uplink: "vnteth0", addresses: create.addresses,
            routes: create.routes)
        #expect(delete.steps.last == .deleteBridge(create.bridge))
        #expect(delete.steps.contains(.setLink("vntbr0", up: false)) == isUp)
        #expect(delete.steps.first == .addAddress(create.addresses[0], link: "vnteth0"))
        #expect(Set(delete.steps.map(\.inverse)).isSuperset(of: Set(create.steps.filter {
            if case .setLink = $0 { return isUp }
            return true
        })))
    }

    @Test("bridge names", arguments: [
        ("vntbr0", true), ("br-lan.10", true), ("a", true), ("vntbr0123456789", true),
        ("vntbr01234567890", false), ("", false), (".", false), ("..", false), ("br/0", false),
        ("br 0", false), ("br:0", false), ("bré", false),
    ])
    func names(name: String, valid: Bool) {
        #expect((try? HostBridge.validateName(name)) != nil ? valid : !valid, "\(name)")
    }

    @Test("name-based UUIDs are stable, distinct and well-formed")
    func uuids() {
        let one = HostBridgeConfigRenderers.uuid("bridge:vntbr0")
        #expect(one == HostBridgeConfigRenderers.uuid("bridge:vntbr0"))
        #expect(one != HostBridgeConfigRenderers.uuid("bridge:vntbr1"))
        #expect(one.count == 36)
        #expect(one.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
    }
}
