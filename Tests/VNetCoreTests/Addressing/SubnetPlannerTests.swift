import Testing
import VNetCore

struct SubnetPlannerTests {
    let pool = try! IPv4CIDR("10.123.0.0/16")

    func taken(_ cidr: String, _ owner: String) throws -> TakenSubnet<IPv4CIDR> {
        TakenSubnet(try IPv4CIDR(cidr), owner: owner)
    }

    @Test func firstSubnetWhenNothingIsTaken() throws {
        #expect(try SubnetPlanner.firstFree(in: pool, avoiding: []).description == "10.123.0.0/24")
        #expect(try SubnetPlanner.firstFree(in: pool, prefix: 28, avoiding: []).description == "10.123.0.0/28")
    }

    @Test(arguments: [
        (["10.123.0.0/24"], 24, "10.123.1.0/24"),
        (["10.123.0.0/24", "10.123.1.0/24", "10.123.3.0/24"], 24, "10.123.2.0/24"),
        (["10.123.0.0/23"], 24, "10.123.2.0/24"),
        (["10.123.0.5/32"], 24, "10.123.1.0/24"),
        (["10.123.0.0/17"], 24, "10.123.128.0/24"),
        (["10.123.0.0/17", "10.123.128.0/18"], 20, "10.123.192.0/20"),
        (["10.123.0.0/24"], 25, "10.123.1.0/25"),
        (["10.123.0.0/25"], 25, "10.123.0.128/25"),
        (["10.123.0.0/25"], 23, "10.123.2.0/23"),
        (["192.168.122.0/24", "10.122.0.0/16", "10.124.0.0/16"], 24, "10.123.0.0/24"),
    ])
    func skipsTakenSubnets(taken: [String], prefix: Int, expected: String) throws {
        let entries = try taken.map { try self.taken($0, "libvirt network 'n'") }
        #expect(try SubnetPlanner.firstFree(in: pool, prefix: prefix, avoiding: entries).description == expected)
    }

    @Test func ignoresTheDefaultRoute() throws {
        let taken = [try taken("0.0.0.0/0", "host route default via eth0"), try taken("10.123.0.0/24", "address of eth0")]
        #expect(try SubnetPlanner.firstFree(in: pool, avoiding: taken).description == "10.123.1.0/24")
        #expect(SubnetPlanner.conflicts(of: try IPv4CIDR("10.123.7.0/24"), with: taken).isEmpty)
    }

    @Test func reportsAnExhaustedPool() throws {
        let small = try IPv4CIDR("10.123.4.0/23")
        let taken = [
            try taken("10.123.4.0/24", "libvirt network 'lab-nat'"),
            try taken("10.0.0.0/8", "host route 10.0.0.0/8 via eth0"),
        ]
        let error = #expect(throws: AddressError.self) { try SubnetPlanner.firstFree(in: small, avoiding: taken) }
        #expect(
            error?.message
                == "subnet auto finds no free /24 left in pool 10.123.4.0/23: it is taken by libvirt network 'lab-nat' (10.123.4.0/24), "
                + "host route 10.0.0.0/8 via eth0 (10.0.0.0/8); remove one of those or give an explicit subnet")
    }

    @Test func namesOnlyTheFirstThreeTakers() throws {
        let small = try IPv4CIDR("10.123.4.0/22")
        let taken = try (4...7).map { try self.taken("10.123.\($0).0/24", "libvirt network 'n\($0)'") }
        let error = #expect(throws: AddressError.self) { try SubnetPlanner.firstFree(in: small, avoiding: taken) }
        #expect(error?.message.contains("'n6' (10.123.6.0/24) and 1 more; remove one") == true)
    }

    @Test func refusesPrefixesOutsideThePool() throws {
        let error = #expect(throws: AddressError.self) { try SubnetPlanner.firstFree(in: pool, prefix: 31, avoiding: []) }
        #expect(
            error?.message
                == "cannot plan a /31 subnet in pool 10.123.0.0/16: it must be no larger than the pool "
                + "and at least a /30, the smallest a libvirt network can use")
        #expect(throws: AddressError.self) { try SubnetPlanner.firstFree(in: pool, prefix: 15, avoiding: []) }
        let tiny = try IPv4CIDR("10.123.0.0/31")
        #expect(throws: AddressError.self) { try SubnetPlanner.firstFree(in: tiny, prefix: 31, avoiding: []) }
    }

    @Test func defaultPoolIsOutsideTheTestRange() throws {
        #expect(SubnetPlanner.defaultPool.description == "10.200.0.0/16")
        #expect(!SubnetPlanner.defaultPool.overlaps(pool))
        #expect(try SubnetPlanner.firstFree(avoiding: []).description == "10.200.0.0/24")
    }

    @Test func findsConflictsOfAnExplicitSubnet() throws {
        let labNat = try taken("10.123.5.0/24", "libvirt network 'lab-nat'")
        let route = try taken("10.123.0.0/20", "host route 10.123.0.0/20 via wg0")
        let other = try taken("10.123.6.0/24", "libvirt network 'lab-iso'")
        let all = [labNat, route, other, try taken("0.0.0.0/0", "host route default via eth0")]
        #expect(SubnetPlanner.conflicts(of: try IPv4CIDR("10.123.5.0/24"), with: all) == [labNat, route])
        #expect(SubnetPlanner.conflicts(of: try IPv4CIDR("10.123.16.0/24"), with: all).isEmpty)
    }

    @Test func refusesATakenExplicitSubnet() throws {
        let taken = [try taken("10.123.5.0/24", "libvirt network 'lab-nat'")]
        let error = #expect(throws: AddressError.self) {
            try SubnetPlanner.requireFree(IPv4CIDR("10.123.5.0/24"), among: taken)
        }
        #expect(
            error?.message
                == "subnet 10.123.5.0/24 overlaps libvirt network 'lab-nat' (10.123.5.0/24); choose another or use auto")
        try SubnetPlanner.requireFree(IPv4CIDR("10.123.6.0/24"), among: taken)
    }
}
