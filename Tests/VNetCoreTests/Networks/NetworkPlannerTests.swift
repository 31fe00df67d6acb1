import HostNet
import Testing
import VNetCore

/// `NetworkPlanner.plan` against hand-made environments: defaults per model, and every refusal
/// with the exact message a user sees. No daemon, no host state.
struct NetworkPlannerTests {
    // MARK: - A hand-made host

    static let lo = HostLink(index: 1, name: "lo", kind: .loopback, mtu: 65536, isUp: true)
    static let eth0 = HostLink(index: 2, name: "eth0", kind: .ethernet, mac: "52:54:00:aa:bb:01", mtu: 1500, isUp: true)
    static let br0 = HostLink(index: 3, name: "br0", kind: .bridge, kernelKind: "bridge", mac: "52:54:00:aa:bb:02", mtu: 1500, isUp: true)
    static let veth0 = HostLink(index: 4, name: "veth0", kind: .veth, kernelKind: "veth", mac: "52:54:00:aa:bb:03", mtu: 1500, isUp: true)
    static let defaultRoute = HostRoute(
        family: .ipv4, destination: "0.0.0.0", prefixLength: 0, gateway: "192.0.2.1", linkIndex: 2, linkName: "eth0",
        table: 254)

    static func environment(
        networks: [NetworkEnvironment.ExistingNetwork] = [], links: [HostLink] = [lo, eth0, br0, veth0],
        addresses: [HostAddress] = [], routes: [HostRoute] = [defaultRoute]
    ) -> NetworkEnvironment {
        NetworkEnvironment(networks: networks, links: links, addresses: addresses, routes: routes)
    }

    static func cidr(_ text: String) -> IPv4CIDR { try! IPv4CIDR(text) }
    static func subnet(_ text: String) -> NetworkSpec.Subnet { .explicit(cidr(text)) }
    static func host(_ text: String) -> DHCPReservation { try! DHCPReservation(text) }
    static func address(_ text: String, on link: String = "eth0", index: Int = 2) -> HostAddress {
        let parts = text.split(separator: "/")
        return HostAddress(
            linkIndex: index, linkName: link, family: .ipv4, address: String(parts[0]), prefixLength: Int(parts[1])!)
    }

    /// The plan, or a recorded failure naming the refusal.
    func plan(_ spec: NetworkSpec, in environment: NetworkEnvironment = environment()) throws -> NetworkPlan {
        do {
            return try NetworkPlanner.plan(spec, in: environment)
        } catch {
            Issue.record("planning \(spec.name) failed: \(error.message)")
            throw error
        }
    }

    /// The refusal of `spec`, which must be invalid input.
    func refusal(_ spec: NetworkSpec, in environment: NetworkEnvironment = environment()) -> String? {
        let error = #expect(throws: VNetError.self) { try NetworkPlanner.plan(spec, in: environment) }
        #expect(error?.kind == .invalidInput, "\(String(describing: error))")
        return error?.message
    }

    // MARK: - Defaults

    @Test(arguments: [NetworkModel.isolated, .routed, .nat, .open])
    func defaultsOfAModelWithAddresses(model: NetworkModel) throws {
        let plan = try plan(NetworkSpec(name: "lab", model: model, subnet: Self.subnet("10.123.4.0/24")))
        #expect(plan.name == "lab")
        #expect(plan.model == model)
        #expect(plan.bridge == "vn-lab")
        #expect(plan.hostBridge == nil)
        #expect(plan.uplink == nil)
        #expect(plan.ipv6 == nil)
        #expect(plan.mtu == nil)
        #expect(plan.domain == nil)
        let ipv4 = try #require(plan.ipv4)
        #expect(ipv4.subnet.description == "10.123.4.0/24")
        #expect(ipv4.gateway.description == "10.123.4.1")
        let dhcp = try #require(ipv4.dhcp)
        #expect(dhcp.range.description == "10.123.4.2-10.123.4.254")
        #expect(dhcp.gateway.description == "10.123.4.1")
        #expect(dhcp.reservations.isEmpty)
    }

    @Test func smallSubnetDefaults() throws {
        let plan = try plan(NetworkSpec(name: "small", model: .isolated, subnet: Self.subnet("10.123.4.8/29")))
        let ipv4 = try #require(plan.ipv4)
        #expect(ipv4.gateway.description == "10.123.4.9")
        #expect(ipv4.dhcp?.range.description == "10.123.4.10-10.123.4.14")
    }

    @Test func carriesTheExplicitValues() throws {
        let spec = NetworkSpec(
            name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"), ipv6: try IPv6CIDR("fd00:123::/64"),
            bridge: "labbr", uplink: "eth0", dhcpRange: try IPv4Range("10.123.4.100-10.123.4.200"),
            reservations: [Self.host("52:54:00:00:00:01,10.123.4.10,web1"), Self.host("52:54:00:00:00:02,10.123.4.150")],
            domain: "lab.example", mtu: 9000)
        let plan = try plan(spec)
        #expect(plan.bridge == "labbr")
        #expect(plan.uplink == "eth0")
        #expect(plan.domain == "lab.example")
        #expect(plan.mtu == 9000)
        #expect(plan.ipv4?.dhcp?.range.description == "10.123.4.100-10.123.4.200")
        #expect(plan.ipv4?.dhcp?.reservations.map(\.description)
            == ["52:54:00:00:00:01,10.123.4.10,web1", "52:54:00:00:00:02,10.123.4.150"])
        #expect(plan.ipv6?.subnet.description == "fd00:123::/64")
        #expect(plan.ipv6?.gateway.description == "fd00:123::1")
    }

    @Test func noDHCPKeepsTheGateway() throws {
        let plan = try plan(NetworkSpec(name: "lab", model: .routed, subnet: Self.subnet("10.123.4.0/24"), dhcp: false))
        #expect(plan.ipv4?.gateway.description == "10.123.4.1")
        #expect(plan.ipv4 != nil && plan.ipv4?.dhcp == nil)
    }

    @Test func isolatedWithoutHostAddress() throws {
        let plan = try plan(NetworkSpec(name: "quiet", model: .isolated, hostIP: false))
        #expect(plan.ipv4 == nil)
        #expect(plan.bridge == "vn-quiet")
    }

    @Test func bridgedOnAHostBridge() throws {
        let plan = try plan(NetworkSpec(name: "lan", model: .bridged, bridge: "br0"))
        #expect(plan.hostBridge == "br0")
        #expect(plan.bridge == nil)
        #expect(plan.uplink == nil)
        #expect(plan.ipv4 == nil)
        #expect(plan.ipv6 == nil)
    }

    @Test func bridgedOnAMacvtapUplink() throws {
        let plan = try plan(NetworkSpec(name: "lan", model: .bridged, uplink: "eth0", mtu: 1500))
        #expect(plan.uplink == "eth0")
        #expect(plan.hostBridge == nil)
        #expect(plan.bridge == nil)
        #expect(plan.ipv4 == nil)
        #expect(plan.mtu == 1500)
    }

    @Test(arguments: [NetworkModel.routed, .nat])
    func forwardingModelsTakeAnUplink(model: NetworkModel) throws {
        let plan = try plan(NetworkSpec(name: "out", model: model, subnet: Self.subnet("10.123.4.0/24"), uplink: "eth0"))
        #expect(plan.uplink == "eth0")
    }

    // MARK: - Generated bridge names

    @Test(arguments: [
        ("lab", [String](), "vn-lab"),
        ("a.b+c", [], "vn-a-b-c"),
        ("vnt-net-abcdef", [], "vn-vnt-net-abcd"),
        ("averyveryverylongname", [], "vn-averyveryver"),
        ("lab", ["vn-lab"], "vn-lab-1"),
        ("lab", ["vn-lab", "vn-lab-1"], "vn-lab-2"),
        ("averyveryverylongname", ["vn-averyveryver"], "vn-averyveryv-1"),
        ("averyveryverylongname", ["vn-averyveryver", "vn-averyveryv-1"], "vn-averyveryv-2"),
    ])
    func generatedBridgeIsShortAndFree(name: String, takenLinks: [String], expected: String) throws {
        let links = [Self.lo, Self.eth0] + takenLinks.enumerated().map { index, link in
            HostLink(index: 10 + index, name: link, kind: .bridge, kernelKind: "bridge", mtu: 1500, isUp: true)
        }
        let plan = try plan(
            NetworkSpec(name: name, model: .isolated, subnet: Self.subnet("10.123.4.0/24")),
            in: Self.environment(links: links))
        #expect(plan.bridge == expected)
        #expect((plan.bridge?.count ?? 99) <= 15)
    }

    @Test func generatedBridgeAvoidsBridgesOfLibvirtNetworks() throws {
        // An inactive network's bridge is not a host link, but it is taken all the same.
        let environment = Self.environment(networks: [
            .init(name: "other", bridge: "vn-lab", subnets: []),
            .init(name: "third", bridge: "vn-lab-1", subnets: []),
        ])
        let plan = try plan(NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24")), in: environment)
        #expect(plan.bridge == "vn-lab-2")
    }

    // MARK: - --subnet auto

    @Test func autoTakesTheFirstFreeSubnetOfTheDefaultPoolDespiteTheDefaultRoute() throws {
        let plan = try plan(NetworkSpec(name: "lab", model: .isolated))
        #expect(plan.ipv4?.subnet.description == "10.200.0.0/24")
        #expect(plan.ipv4?.gateway.description == "10.200.0.1")
        #expect(plan.ipv4?.dhcp?.range.description == "10.200.0.2-10.200.0.254")
    }

    @Test func autoSkipsEveryKindOfTakenSubnet() throws {
        let environment = Self.environment(
            networks: [.init(name: "first", bridge: "virbr9", subnets: [Self.cidr("10.200.0.0/24")])],
            addresses: [Self.address("10.200.1.7/24", on: "eth0")],
            routes: [
                Self.defaultRoute,
                HostRoute(family: .ipv4, destination: "10.200.2.0", prefixLength: 23, gateway: "192.0.2.9", table: 254),
                // Routes outside the main table do not hold a subnet: local (255) and a policy table.
                HostRoute(family: .ipv4, destination: "10.200.4.0", prefixLength: 24, linkName: "eth0", table: 255),
                HostRoute(family: .ipv4, destination: "10.200.4.0", prefixLength: 24, linkName: "eth0", table: 100),
            ])
        let plan = try plan(NetworkSpec(name: "lab", model: .nat, subnet: .auto()), in: environment)
        #expect(plan.ipv4?.subnet.description == "10.200.4.0/24")
    }

    @Test func autoUsesTheGivenPool() throws {
        let environment = Self.environment(networks: [
            .init(name: "first", bridge: "virbr9", subnets: [Self.cidr("10.123.0.0/24")])
        ])
        let plan = try plan(
            NetworkSpec(name: "lab", model: .routed, subnet: .auto(pool: Self.cidr("10.123.0.0/16"))), in: environment)
        #expect(plan.ipv4?.subnet.description == "10.123.1.0/24")
    }

    @Test func autoRefusesAFullPool() throws {
        let environment = Self.environment(addresses: [Self.address("10.123.4.1/23", on: "eth0")])
        let message = refusal(
            NetworkSpec(name: "lab", model: .isolated, subnet: .auto(pool: Self.cidr("10.123.4.0/23"))), in: environment)
        #expect(
            message == "subnet auto finds no free /24 left in pool 10.123.4.0/23: it is taken by address 10.123.4.1/23 of eth0 "
                + "(10.123.4.0/23); remove one of those or give an explicit subnet")
    }

    // MARK: - --ipv6

    static func ipv6(_ text: String) -> IPv6CIDR { try! IPv6CIDR(text) }
    static func ipv6Address(_ text: String, on link: String = "eth0", index: Int = 2) -> HostAddress {
        let parts = text.split(separator: "/")
        return HostAddress(
            linkIndex: index, linkName: link, family: .ipv6, address: String(parts[0]), prefixLength: Int(parts[1])!)
    }

    @Test func ipv6BesideLinkLocalAddressesAndRoutesIsPlanned() throws {
        // Every link has an fe80::/64 address and route; they hold no subnet a network could take.
        let environment = Self.environment(
            addresses: [Self.ipv6Address("fe80::5054:ff:feaa:bb01/64")],
            routes: [
                Self.defaultRoute,
                HostRoute(family: .ipv6, destination: "fe80::", prefixLength: 64, linkName: "eth0", table: 254),
            ])
        var spec = NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"))
        spec.ipv6 = Self.ipv6("fd00:123:4::/64")
        let plan = try plan(spec, in: environment)
        #expect(plan.ipv6?.subnet.description == "fd00:123:4::/64")
        #expect(plan.ipv6?.gateway.description == "fd00:123:4::1")
    }

    @Test(arguments: [
        ("libvirt network", "fd00:123:4::/64",
         "ipv6 fd00:123:4::/64 overlaps libvirt network 'other' (fd00:123:4::/64); choose another"),
        ("host address", "fd00:123:5::/64",
         "ipv6 fd00:123:5::/64 overlaps address fd00:123:5::7/64 of eth0 (fd00:123:5::/64); choose another"),
        ("host route", "fd00:123:6::/64",
         "ipv6 fd00:123:6::/64 overlaps host route fd00:123::/32 on eth0 (fd00:123::/32); choose another"),
    ])
    func ipv6OverlappingWhatExistsIsRefused(kind: String, subnet: String, expected: String) {
        let environment = Self.environment(
            networks: [.init(name: "other", bridge: "virbr9", subnets: [], ipv6Subnets: [Self.ipv6("fd00:123:4::/64")])],
            addresses: [Self.ipv6Address("fd00:123:5::7/64")],
            routes: subnet == "fd00:123:6::/64"
                ? [HostRoute(family: .ipv6, destination: "fd00:123::", prefixLength: 32, linkName: "eth0", table: 254)] : [])
        var spec = NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"))
        spec.ipv6 = Self.ipv6(subnet)
        #expect(refusal(spec, in: environment) == expected, "\(kind)")
    }

    @Test func ipv6LinkLocalIsRefused() {
        var spec = NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"))
        spec.ipv6 = Self.ipv6("fe80::/64")
        #expect(refusal(spec) == "ipv6 fe80::/64 is link-local, which every link already has; use a /64 such as fd00:123::/64")
    }

    // MARK: - Refusals: names and bridges

    @Test(arguments: [
        ("a/b", "network name 'a/b' is not a valid libvirt object name: character \"/\" is not allowed; use letters, digits, '_', '.', '+' and '-'"),
        ("-x", "network name '-x' is not a valid libvirt object name: it must not start with '-'"),
        (".x", "network name '.x' is not a valid libvirt object name: it must not start with '.'"),
        ("", "network name '' is not a valid libvirt object name: it is empty"),
        (String(repeating: "n", count: 65), "network name '\(String(repeating: "n", count: 65))' is not a valid libvirt object name: it has 65 characters; the limit is 64"),
    ])
    func refusesAnInvalidName(name: String, expected: String) {
        #expect(refusal(NetworkSpec(name: name, model: .isolated, subnet: Self.subnet("10.123.4.0/24"))) == expected)
    }

    /// The refusal names the action that frees the name, for each front end to word; the library's
    /// own wording names no command.
    @Test func refusesAnExistingName() {
        let environment = Self.environment(networks: [.init(name: "lab", bridge: nil, subnets: [])])
        let spec = NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"))
        let error = #expect(throws: VNetError.self) { try NetworkPlanner.plan(spec, in: environment) }
        #expect(error?.message == "network 'lab' already exists; choose another name or 'undefine network lab' first")
        #expect(error?.action?.action == OperationAction(.undefine, .network, named: "lab"))
    }

    @Test func refusesABridgeOfAnotherNetwork() {
        let environment = Self.environment(networks: [.init(name: "default", bridge: "virbr0", subnets: [])])
        #expect(
            refusal(
                NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"), bridge: "virbr0"),
                in: environment)
                == "bridge virbr0 is already the bridge of libvirt network 'default'; "
                + "choose another name or leave the bridge out to get a free one")
    }

    @Test(arguments: ["eth0", "lo", "br0"])
    func refusesABridgeThatIsAHostLink(bridge: String) {
        #expect(
            refusal(NetworkSpec(name: "lab", model: .routed, subnet: Self.subnet("10.123.4.0/24"), bridge: bridge))
                == "bridge \(bridge) already exists on this host; libvirt creates the routed network's bridge itself, "
                + "so choose a free name or leave the bridge out")
    }

    @Test func refusesABridgeNameTooLong() {
        #expect(
            refusal(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), bridge: "abcdefghijklmnop"))
                == "bridge 'abcdefghijklmnop' is not a valid interface name: it has 16 characters; the kernel allows at most 15")
    }

    @Test func refusesABridgeNameWithBadCharacters() {
        let message = refusal(
            NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), bridge: "br'0"))
        #expect(message?.hasPrefix("bridge 'br'0' is not a valid interface name: character") == true, "\(message ?? "")")
    }

    // MARK: - Refusals: bridged

    @Test func refusesBridgedWithoutBridgeOrUplink() {
        #expect(
            refusal(NetworkSpec(name: "lan", model: .bridged))
                == "bridge is missing: the bridged model needs a bridge (an existing host bridge) or an uplink (macvtap)")
    }

    @Test func refusesBridgedWithBoth() {
        #expect(
            refusal(NetworkSpec(name: "lan", model: .bridged, bridge: "br0", uplink: "eth0"))
                == "uplink eth0 is given with a bridge; the bridged model takes either an existing host bridge or an uplink (macvtap), not both")
    }

    @Test func refusesBridgedOnAMissingBridge() {
        #expect(
            refusal(NetworkSpec(name: "lan", model: .bridged, bridge: "br9"))
                == "bridge br9 does not exist on this host; the bridged model needs an existing host bridge "
                + "(create it first) or an uplink device for macvtap; or add create bridge")
    }

    @Test func refusesBridgedOnLoopback() {
        let message = refusal(NetworkSpec(name: "lan", model: .bridged, bridge: "lo"))
        #expect(message == "bridge lo is the loopback interface, not a bridge; give a host bridge")
    }

    @Test(arguments: [("eth0", "ethernet"), ("veth0", "veth")])
    func refusesBridgedOnANonBridge(link: String, kind: String) {
        let message = refusal(NetworkSpec(name: "lan", model: .bridged, bridge: link))
        #expect(message?.hasPrefix("bridge \(link) is not a bridge but a \(kind) interface") == true, "\(message ?? "")")
        #expect(message?.contains("give a host bridge, or give \(link) as the uplink for macvtap") == true,
                "\(message ?? "")")
    }

    @Test(arguments: [
        (NetworkSpec(name: "lan", model: .bridged, subnet: .explicit(try! IPv4CIDR("10.123.4.0/24")), bridge: "br0"), SpecField.subnet),
        (NetworkSpec(name: "lan", model: .bridged, ipv6: try! IPv6CIDR("fd00:123::/64"), bridge: "br0"), SpecField.ipv6),
        (NetworkSpec(name: "lan", model: .bridged, bridge: "br0", dhcpRange: try! IPv4Range("10.123.4.2-10.123.4.9")), SpecField.dhcpRange),
        (NetworkSpec(name: "lan", model: .bridged, bridge: "br0", reservations: [try! DHCPReservation("52:54:00:00:00:01,10.123.4.5")]), SpecField.dhcpHost),
        (NetworkSpec(name: "lan", model: .bridged, bridge: "br0", domain: "lab.example"), SpecField.domain),
        (NetworkSpec(name: "lan", model: .bridged, bridge: "br0", hostIP: false), SpecField.noHostIP),
        (NetworkSpec(name: "lan", model: .bridged, bridge: "br0", dhcp: false), SpecField.noDHCP),
    ])
    func refusesAddressOptionsOnBridged(spec: NetworkSpec, field: SpecField) {
        #expect(
            refusal(spec)
                == "\(field) does not apply to the bridged model: its guests take addresses from the LAN; drop it")
    }

    // MARK: - Refusals: uplinks

    @Test(arguments: [NetworkModel.routed, .nat, .bridged])
    func refusesAMissingUplink(model: NetworkModel) {
        let subnet: NetworkSpec.Subnet? = model == .bridged ? nil : Self.subnet("10.123.4.0/24")
        #expect(
            refusal(NetworkSpec(name: "out", model: model, subnet: subnet, uplink: "eth9"))
                == "uplink eth9 does not exist on this host; 'ip link' lists the interfaces")
    }

    @Test(arguments: [NetworkModel.routed, .nat, .bridged])
    func refusesTheLoopbackAsUplink(model: NetworkModel) {
        let subnet: NetworkSpec.Subnet? = model == .bridged ? nil : Self.subnet("10.123.4.0/24")
        #expect(
            refusal(NetworkSpec(name: "out", model: model, subnet: subnet, uplink: "lo"))
                == "uplink lo is the loopback interface; give a real uplink")
    }

    @Test(arguments: [NetworkModel.isolated, .open])
    func refusesAnUplinkOnModelsThatDoNotForward(model: NetworkModel) {
        #expect(
            refusal(NetworkSpec(name: "in", model: model, subnet: Self.subnet("10.123.4.0/24"), uplink: "eth0"))
                == "uplink eth0 does not apply to the \(model) model; only routed and nat networks forward through an uplink")
    }

    // MARK: - Refusals: subnets

    @Test func refusesASubnetOfAnotherNetworkNamingIt() {
        let environment = Self.environment(networks: [
            .init(name: "lab-nat", bridge: "virbr7", subnets: [Self.cidr("10.123.4.0/24")])
        ])
        #expect(
            refusal(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24")), in: environment)
                == "subnet 10.123.4.0/24 overlaps libvirt network 'lab-nat' (10.123.4.0/24); choose another or use auto")
    }

    @Test func refusesASubnetInsideALargerNetwork() {
        let environment = Self.environment(networks: [
            .init(name: "wide", bridge: "virbr7", subnets: [Self.cidr("10.123.0.0/16")])
        ])
        #expect(
            refusal(NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.128/25")), in: environment)
                == "subnet 10.123.4.128/25 overlaps libvirt network 'wide' (10.123.0.0/16); choose another or use auto")
    }

    @Test func refusesASubnetOfAHostAddressNamingTheInterface() {
        let environment = Self.environment(addresses: [Self.address("10.123.5.7/24", on: "veth0", index: 4)])
        #expect(
            refusal(NetworkSpec(name: "lab", model: .open, subnet: Self.subnet("10.123.5.0/24")), in: environment)
                == "subnet 10.123.5.0/24 overlaps address 10.123.5.7/24 of veth0 (10.123.5.0/24); choose another or use auto")
    }

    @Test func refusesASubnetOfAHostRouteNamingIt() {
        let environment = Self.environment(routes: [
            Self.defaultRoute,
            HostRoute(family: .ipv4, destination: "10.123.0.0", prefixLength: 16, gateway: "192.0.2.7", linkIndex: 2,
                      linkName: "eth0", table: 254),
        ])
        #expect(
            refusal(NetworkSpec(name: "lab", model: .routed, subnet: Self.subnet("10.123.6.0/24")), in: environment)
                == "subnet 10.123.6.0/24 overlaps host route 10.123.0.0/16 on eth0 (10.123.0.0/16); choose another or use auto")
    }

    @Test func ignoresTheDefaultRouteAndIPv6AddressesForAnExplicitSubnet() throws {
        let environment = Self.environment(
            addresses: [HostAddress(linkIndex: 2, linkName: "eth0", family: .ipv6, address: "fd00:123::5", prefixLength: 64)],
            routes: [Self.defaultRoute])
        let plan = try plan(NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.6.0/24")), in: environment)
        #expect(plan.ipv4?.subnet.description == "10.123.6.0/24")
    }

    @Test func namesEveryOwnerOfAnOverlap() {
        let environment = Self.environment(
            networks: [.init(name: "lab-nat", bridge: "virbr7", subnets: [Self.cidr("10.123.4.0/24")])],
            addresses: [Self.address("10.123.5.1/24", on: "veth0", index: 4)])
        let message = refusal(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/23")), in: environment)
        #expect(message?.contains("libvirt network 'lab-nat' (10.123.4.0/24)") == true, "\(message ?? "")")
        #expect(message?.contains("address 10.123.5.1/24 of veth0 (10.123.5.0/24)") == true, "\(message ?? "")")
    }

    @Test(arguments: [
        ("10.123.4.0/31", true, "subnet 10.123.4.0/31 is too small for a network with DHCP: it needs at least a /30, for the gateway and one guest"),
        ("10.123.4.0/32", false, "subnet 10.123.4.0/32 is too small: it needs at least a /30"),
    ])
    func refusesATinySubnet(subnet: String, dhcp: Bool, expected: String) {
        #expect(refusal(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet(subnet), dhcp: dhcp)) == expected)
    }

    // MARK: - Refusals: DHCP

    static func dhcpSpec(range: String? = nil, hosts: [String] = []) -> NetworkSpec {
        NetworkSpec(
            name: "lab", model: .nat, subnet: subnet("10.123.4.0/24"), dhcpRange: range.map { try! IPv4Range($0) },
            reservations: hosts.map(host))
    }

    @Test(arguments: [
        ("10.123.5.2-10.123.5.9", "dhcp range 10.123.5.2-10.123.5.9 is outside subnet 10.123.4.0/24; use addresses from 10.123.4.2 to 10.123.4.254"),
        ("10.123.4.200-10.123.5.9", "dhcp range 10.123.4.200-10.123.5.9 is outside subnet 10.123.4.0/24; use addresses from 10.123.4.2 to 10.123.4.254"),
        ("10.123.4.1-10.123.4.100", "dhcp range 10.123.4.1-10.123.4.100 includes the gateway 10.123.4.1; use a range without it, such as 10.123.4.2-10.123.4.100"),
        ("10.123.4.1-10.123.4.1", "dhcp range 10.123.4.1-10.123.4.1 includes the gateway 10.123.4.1; use a range without it, such as 10.123.4.2-10.123.4.254"),
        ("10.123.4.0-10.123.4.100", "dhcp range 10.123.4.0-10.123.4.100 includes the network address 10.123.4.0; start it at 10.123.4.1 or later"),
        ("10.123.4.100-10.123.4.255", "dhcp range 10.123.4.100-10.123.4.255 includes the broadcast address 10.123.4.255; end it at 10.123.4.254 or earlier"),
    ])
    func refusesABadDHCPRange(range: String, expected: String) {
        #expect(refusal(Self.dhcpSpec(range: range)) == expected)
    }

    @Test func refusesAReversedRangeWhenParsed() {
        let error = #expect(throws: AddressError.self) { try IPv4Range("10.123.4.9-10.123.4.2") }
        #expect(error?.message == "'10.123.4.9-10.123.4.2' is not a valid IPv4 range: it runs backwards; write 10.123.4.2-10.123.4.9")
    }

    @Test(arguments: [
        (["52:54:00:00:00:01,10.123.9.5"],
         "dhcp host 52:54:00:00:00:01,10.123.9.5: IP 10.123.9.5 is outside subnet 10.123.4.0/24; use another address of 10.123.4.0/24"),
        (["52:54:00:00:00:01,10.123.4.1"],
         "dhcp host 52:54:00:00:00:01,10.123.4.1: IP 10.123.4.1 is the gateway's address; use another address of 10.123.4.0/24"),
        (["52:54:00:00:00:01,10.123.4.255"],
         "dhcp host 52:54:00:00:00:01,10.123.4.255: IP 10.123.4.255 is the broadcast address of 10.123.4.0/24; use another address of 10.123.4.0/24"),
        (["52:54:00:00:00:01,10.123.4.10", "52:54:00:00:00:02,10.123.4.10"],
         "dhcp host 52:54:00:00:00:02,10.123.4.10: IP 10.123.4.10 is already reserved by reservation 52:54:00:00:00:01,10.123.4.10; give each guest its own address"),
        (["52:54:00:00:00:01,10.123.4.10", "52:54:00:00:00:01,10.123.4.11"],
         "dhcp host 52:54:00:00:00:01,10.123.4.11: MAC 52:54:00:00:00:01 is already reserved by reservation 52:54:00:00:00:01,10.123.4.10; give each MAC one reservation"),
        (["52:54:00:00:00:01,10.123.4.10,web", "52:54:00:00:00:02,10.123.4.11,WEB"],
         "dhcp host 52:54:00:00:00:02,10.123.4.11,WEB: hostname 'WEB' is already used by reservation 52:54:00:00:00:01,10.123.4.10,web; give each guest its own hostname"),
        (["00:00:00:00:00:00,10.123.4.10"],
         "dhcp host 00:00:00:00:00:00,10.123.4.10: MAC 00:00:00:00:00:00 is all zeros; use a unicast MAC, such as one starting 52:54:00"),
        (["01:00:5e:00:00:01,10.123.4.10"],
         "dhcp host 01:00:5e:00:00:01,10.123.4.10: MAC 01:00:5e:00:00:01 is a multicast address (its first octet is odd); use a unicast MAC, such as one starting 52:54:00"),
        (["52:54:00:00:00:01,10.123.4.10,web_1"],
         "dhcp host 52:54:00:00:00:01,10.123.4.10,web_1: hostname 'web_1' is not a DNS name; use labels of 1-63 letters, digits and '-', not starting or ending with '-', joined by dots (web1, web1.lab.example)"),
    ])
    func refusesABadReservation(hosts: [String], expected: String) {
        #expect(refusal(Self.dhcpSpec(hosts: hosts)) == expected)
    }

    @Test func aReservationMayLieInTheDynamicRange() throws {
        let plan = try plan(Self.dhcpSpec(range: "10.123.4.100-10.123.4.200", hosts: ["52:54:00:00:00:01,10.123.4.150"]))
        #expect(plan.ipv4?.dhcp?.reservations.count == 1)
    }

    @Test(arguments: [
        (NetworkSpec(name: "lab", model: .nat, subnet: .explicit(try! IPv4CIDR("10.123.4.0/24")),
                     dhcpRange: try! IPv4Range("10.123.4.2-10.123.4.9"), dhcp: false), SpecField.dhcpRange),
        (NetworkSpec(name: "lab", model: .nat, subnet: .explicit(try! IPv4CIDR("10.123.4.0/24")), dhcp: false,
                     reservations: [try! DHCPReservation("52:54:00:00:00:01,10.123.4.5")]), SpecField.dhcpHost),
    ])
    func refusesDHCPOptionsWithNoDHCP(spec: NetworkSpec, field: SpecField) {
        #expect(refusal(spec) == "\(field) needs DHCP, which no dhcp turns off; drop one of the two")
    }

    // MARK: - Refusals: --no-host-ip, MTU, IPv6, domain

    @Test(arguments: [NetworkModel.routed, .nat, .open])
    func refusesNoHostIPOutsideIsolated(model: NetworkModel) {
        #expect(
            refusal(NetworkSpec(name: "lab", model: model, hostIP: false))
                == "no host ip applies only to the isolated model; drop it")
    }

    @Test(arguments: [
        (NetworkSpec(name: "lab", model: .isolated, subnet: .explicit(try! IPv4CIDR("10.123.4.0/24")), hostIP: false), SpecField.subnet),
        (NetworkSpec(name: "lab", model: .isolated, subnet: .auto(), hostIP: false), SpecField.subnet),
        (NetworkSpec(name: "lab", model: .isolated, ipv6: try! IPv6CIDR("fd00:123::/64"), hostIP: false), SpecField.ipv6),
        (NetworkSpec(name: "lab", model: .isolated, dhcpRange: try! IPv4Range("10.123.4.2-10.123.4.9"), hostIP: false), SpecField.dhcpRange),
        (NetworkSpec(name: "lab", model: .isolated, hostIP: false, reservations: [try! DHCPReservation("52:54:00:00:00:01,10.123.4.5")]), SpecField.dhcpHost),
        (NetworkSpec(name: "lab", model: .isolated, hostIP: false, domain: "lab.example"), SpecField.domain),
    ])
    func refusesAddressOptionsWithNoHostIP(spec: NetworkSpec, field: SpecField) {
        #expect(refusal(spec) == "\(field) needs a host address on the network, which no host ip leaves out; drop one of the two")
    }

    @Test(arguments: [0, 67, 65536, 70000, -1])
    func refusesAnMTUOutOfRange(mtu: Int) {
        #expect(
            refusal(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), mtu: mtu))
                == "mtu \(mtu) is out of range 68-65535; give a value in it")
    }

    @Test(arguments: [68, 1280, 9000, 65535])
    func acceptsAnMTUInRange(mtu: Int) throws {
        #expect(try plan(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), mtu: mtu)).mtu == mtu)
    }

    @Test func refusesAnMTUTooSmallForIPv6() throws {
        #expect(
            refusal(NetworkSpec(
                name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"), ipv6: try IPv6CIDR("fd00:123::/64"), mtu: 1279))
                == "mtu 1279 is below IPv6's minimum of 1280; raise it or drop the ipv6 subnet")
        let plan = try plan(NetworkSpec(
            name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"), ipv6: try IPv6CIDR("fd00:123::/64"), mtu: 1280))
        #expect(plan.mtu == 1280)
    }

    @Test func refusesAnIPv6SubnetTooSmall() throws {
        #expect(
            refusal(NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"), ipv6: try IPv6CIDR("fd00:123::/127")))
                == "ipv6 fd00:123::/127 is too small for a network; use a /64 such as fd00:123::/64")
    }

    @Test(arguments: ["a_b.example", "lab..example", "-lab.example", "lab-.example", "lab.example.", "", "läb.example",
                      "lab example", String(repeating: "a", count: 64) + ".example", "a'b\"<c>&d"])
    func refusesAnInvalidDomain(domain: String) {
        #expect(
            refusal(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), domain: domain))
                == "domain '\(domain)' is not a DNS domain name; use labels of letters, digits and '-' joined by dots, like lab.example")
    }

    @Test(arguments: ["lab", "lab.example", "a-1.b2.example", String(repeating: "a", count: 63) + ".example"])
    func acceptsAValidDomain(domain: String) throws {
        #expect(try plan(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), domain: domain)).domain == domain)
    }
}
