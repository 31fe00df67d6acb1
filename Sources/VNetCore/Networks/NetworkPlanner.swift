/// Checks a `NetworkSpec` against what exists and fills in its defaults, before anything is defined.
///
/// Every refusal is invalid input with a message naming the field, the value and the fix; the
/// error's `field` lets each front end name the field its own way.
public enum NetworkPlanner {
    /// The MTU range libvirt's bridges accept: IPv4's minimum datagram up to the largest jumbo frame.
    public static let mtuRange = 68...65535
    /// The smallest MTU IPv6 allows on a link.
    public static let ipv6MinimumMTU = 1280

    public static func plan(_ spec: NetworkSpec, in environment: NetworkEnvironment) throws(VNetError) -> NetworkPlan {
        do {
            _ = try ObjectName(spec.name)
        } catch {
            throw .invalidInput("network name \(error.message)")
        }
        if environment.networks.contains(where: { $0.name == spec.name }) {
            throw .naming(
                .invalidInput, "network '\(spec.name)' already exists; choose another name or '",
                OperationAction(.undefine, .network, named: spec.name), then: "' first")
        }
        try checkMTU(spec)
        if let domain = spec.domain { try checkDomain(domain) }

        var plan = NetworkPlan(name: spec.name, model: spec.model, domain: spec.domain, mtu: spec.mtu)
        plan.unchecked = environment.unseen
        if spec.model != .nat { _ = try planForwards(spec, ipv4: nil, in: environment) }
        if spec.model == .bridged {
            try planBridged(spec, in: environment, into: &plan)
            return plan
        }
        if let uplink = spec.uplink {
            guard spec.model == .routed || spec.model == .nat else {
                throw .invalid(
                    .uplink,
                    "\(uplink) does not apply to the \(spec.model) model; only routed and nat networks forward through an uplink")
            }
            try requireLink(uplink, in: environment)
        }
        plan.bridge = try bridgeName(for: spec, in: environment)
        plan.ipv4 = try planIPv4(spec, in: environment)
        plan.ipv6 = try spec.ipv6.map { cidr throws(VNetError) in try planIPv6(cidr, in: environment) }
        plan.uplink = spec.uplink
        plan.forwards = try planForwards(spec, ipv4: plan.ipv4, in: environment)
        return plan
    }

    private static func planForwards(_ spec: NetworkSpec, ipv4: NetworkPlan.IPv4Plan?, in environment: NetworkEnvironment)
        throws(VNetError) -> [PortForward]
    {
        try PortForwardPlanner.resolve(
            spec.forwards, network: spec.name, model: spec.model, ipv4: ipv4, vmAddresses: spec.forwardVMs,
            existing: environment.networks.flatMap { network in network.forwards.map { .init(network: network.name, forward: $0) } },
            hostAddresses: environment.addresses.filter { $0.family == .ipv4 }.compactMap { try? IPv4Address($0.address) })
    }

    private static func planBridged(
        _ spec: NetworkSpec, in environment: NetworkEnvironment, into plan: inout NetworkPlan
    ) throws(VNetError) {
        let addressFields: [(SpecField, Bool)] = [
            (.subnet, spec.subnet != nil), (.ipv6, spec.ipv6 != nil), (.dhcpRange, spec.dhcpRange != nil),
            (.dhcpHost, !spec.reservations.isEmpty), (.domain, spec.domain != nil), (.noHostIP, !spec.hostIP),
            (.noDHCP, !spec.dhcp),
        ]
        if let (field, _) = addressFields.first(where: \.1) {
            throw .invalid(field, "does not apply to the bridged model: its guests take addresses from the LAN; drop it")
        }
        switch (spec.bridge, spec.uplink) {
        case (let bridge?, nil):
            guard let link = environment.link(named: bridge) else {
                throw .invalid(
                    .bridge,
                    "\(bridge) does not exist on this host; the bridged model needs an existing host bridge "
                        + "(create it first) or an uplink device for macvtap",
                    suggesting: .createBridge)
            }
            guard link.kind == .bridge else {
                if link.kind == .loopback {
                    throw .invalid(.bridge, "\(bridge) is the loopback interface, not a bridge; give a host bridge")
                }
                throw .invalid(
                    .bridge,
                    "\(bridge) is not a bridge but a \(link.kind.rawValue) interface; give a host bridge, "
                        + "or give \(bridge) as the uplink for macvtap")
            }
            plan.hostBridge = bridge
        case (nil, let uplink?):
            try requireLink(uplink, in: environment)
            plan.uplink = uplink
        case (nil, nil):
            throw .invalid(
                .bridge, "is missing: the bridged model needs a bridge (an existing host bridge) or an uplink (macvtap)")
        case (_?, let uplink?):
            throw .invalid(
                .uplink, "\(uplink) is given with a bridge; the bridged model takes either an existing host bridge "
                    + "or an uplink (macvtap), not both")
        }
    }

    private static func requireLink(_ name: String, in environment: NetworkEnvironment) throws(VNetError) {
        guard let link = environment.link(named: name) else {
            throw .invalid(.uplink, "\(name) does not exist on this host; 'ip link' lists the interfaces")
        }
        if link.kind == .loopback {
            throw .invalid(.uplink, "\(name) is the loopback interface; give a real uplink")
        }
    }

    private static func bridgeName(for spec: NetworkSpec, in environment: NetworkEnvironment) throws(VNetError) -> String {
        let taken = Set(environment.networks.compactMap(\.bridge) + environment.links.map(\.name))
        guard let bridge = spec.bridge else {
            return BridgeNames.generate(for: spec.name, avoiding: taken)
        }
        do {
            _ = try InterfaceName(bridge)
        } catch {
            throw .invalid(.bridge, error.message)
        }
        if let owner = environment.networks.first(where: { $0.bridge == bridge }) {
            throw .invalid(
                .bridge, "\(bridge) is already the bridge of \(owner.label); choose another name or leave the bridge out to get a free one")
        }
        if environment.link(named: bridge) != nil {
            throw .invalid(
                .bridge,
                "\(bridge) already exists on this host; libvirt creates the \(spec.model) network's bridge itself, "
                    + "so choose a free name or leave the bridge out")
        }
        return bridge
    }

    private static func planIPv4(_ spec: NetworkSpec, in environment: NetworkEnvironment) throws(VNetError)
        -> NetworkPlan.IPv4Plan?
    {
        guard spec.hostIP else {
            guard spec.model == .isolated else {
                throw .invalid(.noHostIP, "applies only to the isolated model; drop it")
            }
            let needing: [(SpecField, Bool)] = [
                (.subnet, spec.subnet != nil), (.ipv6, spec.ipv6 != nil), (.dhcpRange, spec.dhcpRange != nil),
                (.dhcpHost, !spec.reservations.isEmpty), (.domain, spec.domain != nil),
            ]
            if let (field, _) = needing.first(where: \.1) {
                throw .invalid(field, "needs a host address on the network, which \(SpecField.noHostIP) leaves out; drop one of the two")
            }
            return nil
        }
        let taken = environment.takenSubnets
        let subnet: IPv4CIDR
        do {
            switch spec.subnet ?? .auto() {
            case .auto(let pool):
                subnet = try SubnetPlanner.firstFree(in: pool, avoiding: taken)
            case .explicit(let cidr):
                try SubnetPlanner.requireFree(cidr, among: taken)
                subnet = cidr
            }
        } catch {
            throw error.vnetError
        }
        guard spec.dhcp else {
            if spec.dhcpRange != nil || !spec.reservations.isEmpty {
                let field: SpecField = spec.dhcpRange != nil ? .dhcpRange : .dhcpHost
                throw .invalid(field, "needs DHCP, which \(SpecField.noDHCP) turns off; drop one of the two")
            }
            guard let gateway = subnet.firstUsable else {
                throw .invalid(.subnet, "\(subnet) is too small: it needs at least a /30")
            }
            return NetworkPlan.IPv4Plan(subnet: subnet, gateway: gateway, dhcp: nil)
        }
        do {
            let dhcp = try DHCPPlan(subnet: subnet, range: spec.dhcpRange, reservations: spec.reservations)
            return NetworkPlan.IPv4Plan(subnet: subnet, gateway: dhcp.gateway, dhcp: dhcp)
        } catch {
            throw error.vnetError
        }
    }

    private static func planIPv6(_ subnet: IPv6CIDR, in environment: NetworkEnvironment) throws(VNetError) -> NetworkPlan.IPv6Plan {
        guard subnet.prefix <= 126 else {
            throw .invalid(.ipv6, "\(subnet) is too small for a network; use a /64 such as fd00:123::/64")
        }
        guard !subnet.isLinkLocal else {
            throw .invalid(.ipv6, "\(subnet) is link-local, which every link already has; use a /64 such as fd00:123::/64")
        }
        do {
            try SubnetPlanner.requireFree(subnet, among: environment.takenIPv6Subnets, remedy: "choose another")
        } catch {
            throw .invalid(.ipv6, error.detail ?? error.message)
        }
        let gateway = IPv6Address(high: subnet.network.high, low: subnet.network.low &+ 1)
        return NetworkPlan.IPv6Plan(subnet: subnet, gateway: gateway)
    }

    private static func checkMTU(_ spec: NetworkSpec) throws(VNetError) {
        guard let mtu = spec.mtu else { return }
        guard mtuRange.contains(mtu) else {
            throw .invalid(.mtu, "\(mtu) is out of range \(mtuRange.lowerBound)-\(mtuRange.upperBound); give a value in it")
        }
        if spec.ipv6 != nil, mtu < ipv6MinimumMTU {
            throw .invalid(.mtu, "\(mtu) is below IPv6's minimum of \(ipv6MinimumMTU); raise it or drop the ipv6 subnet")
        }
    }

    private static func checkDomain(_ domain: String) throws(VNetError) {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let valid = domain.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
        guard valid else {
            throw .invalid(
                .domain, "'\(domain)' is not a DNS domain name; use labels of letters, digits and '-' joined by dots, like lab.example")
        }
    }
}
