/// Checks a `NetworkSpec` against what exists and fills in its defaults, before anything is defined.
///
/// Every refusal is invalid input with a message naming the option, the value and the fix.
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
            throw .invalidInput(
                "network '\(spec.name)' already exists; choose another name or "
                    + "'vnetctl undefine network \(spec.name)' first")
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
                throw .invalidInput(
                    "--uplink \(uplink) does not apply to the \(spec.model) model; "
                        + "only routed and nat networks forward through an uplink")
            }
            try requireLink(uplink, option: "--uplink", in: environment)
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
        let addressOptions: [(String, Bool)] = [
            ("--subnet", spec.subnet != nil), ("--ipv6", spec.ipv6 != nil), ("--dhcp-range", spec.dhcpRange != nil),
            ("--host", !spec.reservations.isEmpty), ("--domain", spec.domain != nil), ("--no-host-ip", !spec.hostIP),
            ("--no-dhcp", !spec.dhcp),
        ]
        if let (option, _) = addressOptions.first(where: \.1) {
            throw .invalidInput(
                "\(option) does not apply to the bridged model: its guests take addresses from the LAN; "
                    + "drop \(option)")
        }
        switch (spec.bridge, spec.uplink) {
        case (let bridge?, nil):
            guard let link = environment.link(named: bridge) else {
                throw .invalidInput(
                    "--bridge \(bridge) does not exist on this host; the bridged model needs an existing "
                        + "host bridge (create it first) or --uplink DEV for macvtap")
            }
            guard link.kind == .bridge else {
                if link.kind == .loopback {
                    throw .invalidInput("--bridge \(bridge) is the loopback interface, not a bridge; give a host bridge")
                }
                throw .invalidInput(
                    "--bridge \(bridge) is not a bridge but a \(link.kind.rawValue) interface; give a host bridge, "
                        + "or use --uplink \(bridge) for macvtap")
            }
            plan.hostBridge = bridge
        case (nil, let uplink?):
            try requireLink(uplink, option: "--uplink", in: environment)
            plan.uplink = uplink
        case (nil, nil):
            throw .invalidInput(
                "the bridged model needs --bridge BR (an existing host bridge) or --uplink DEV (macvtap)")
        case (_?, _?):
            throw .invalidInput(
                "give either --bridge (an existing host bridge) or --uplink (macvtap) for the bridged model, not both")
        }
    }

    private static func requireLink(_ name: String, option: String, in environment: NetworkEnvironment) throws(VNetError) {
        guard let link = environment.link(named: name) else {
            throw .invalidInput("\(option) \(name) does not exist on this host; 'ip link' lists the interfaces")
        }
        if link.kind == .loopback {
            throw .invalidInput("\(option) \(name) is the loopback interface; give a real uplink")
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
            throw .invalidInput("--bridge: \(error.message)")
        }
        if let owner = environment.networks.first(where: { $0.bridge == bridge }) {
            throw .invalidInput(
                "--bridge \(bridge) is already the bridge of \(owner.label); "
                    + "choose another name or leave --bridge out to get a free one")
        }
        if environment.link(named: bridge) != nil {
            throw .invalidInput(
                "--bridge \(bridge) already exists on this host; libvirt creates the \(spec.model) network's "
                    + "bridge itself, so choose a free name or leave --bridge out")
        }
        return bridge
    }

    private static func planIPv4(_ spec: NetworkSpec, in environment: NetworkEnvironment) throws(VNetError)
        -> NetworkPlan.IPv4Plan?
    {
        guard spec.hostIP else {
            guard spec.model == .isolated else {
                throw .invalidInput("--no-host-ip applies only to the isolated model; drop it")
            }
            let needing: [(String, Bool)] = [
                ("--subnet", spec.subnet != nil), ("--ipv6", spec.ipv6 != nil), ("--dhcp-range", spec.dhcpRange != nil),
                ("--host", !spec.reservations.isEmpty), ("--domain", spec.domain != nil),
            ]
            if let (option, _) = needing.first(where: \.1) {
                throw .invalidInput("\(option) needs a host address on the network; drop \(option) or --no-host-ip")
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
            throw .invalidInput(error.message)
        }
        guard spec.dhcp else {
            if spec.dhcpRange != nil || !spec.reservations.isEmpty {
                let option = spec.dhcpRange != nil ? "--dhcp-range" : "--host"
                throw .invalidInput("\(option) needs DHCP; drop \(option) or --no-dhcp")
            }
            guard let gateway = subnet.firstUsable else {
                throw .invalidInput("--subnet \(subnet) is too small: it needs at least a /30")
            }
            return NetworkPlan.IPv4Plan(subnet: subnet, gateway: gateway, dhcp: nil)
        }
        do {
            let dhcp = try DHCPPlan(subnet: subnet, range: spec.dhcpRange, reservations: spec.reservations)
            return NetworkPlan.IPv4Plan(subnet: subnet, gateway: dhcp.gateway, dhcp: dhcp)
        } catch {
            throw .invalidInput(error.message)
        }
    }

    private static func planIPv6(_ subnet: IPv6CIDR, in environment: NetworkEnvironment) throws(VNetError) -> NetworkPlan.IPv6Plan {
        guard subnet.prefix <= 126 else {
            throw .invalidInput("--ipv6 \(subnet) is too small for a network; use a /64 such as fd00:123::/64")
        }
        guard !subnet.isLinkLocal else {
            throw .invalidInput("--ipv6 \(subnet) is link-local, which every link already has; use a /64 such as fd00:123::/64")
        }
        do {
            try SubnetPlanner.requireFree(subnet, among: environment.takenIPv6Subnets, remedy: "choose another --ipv6")
        } catch {
            throw .invalidInput("--ipv6 " + error.message)
        }
        let gateway = IPv6Address(high: subnet.network.high, low: subnet.network.low &+ 1)
        return NetworkPlan.IPv6Plan(subnet: subnet, gateway: gateway)
    }

    private static func checkMTU(_ spec: NetworkSpec) throws(VNetError) {
        guard let mtu = spec.mtu else { return }
        guard mtuRange.contains(mtu) else {
            throw .invalidInput("--mtu \(mtu) is out of range; give \(mtuRange.lowerBound)-\(mtuRange.upperBound)")
        }
        if spec.ipv6 != nil, mtu < ipv6MinimumMTU {
            throw .invalidInput("--mtu \(mtu) is below IPv6's minimum of \(ipv6MinimumMTU); raise it or drop --ipv6")
        }
    }

    private static func checkDomain(_ domain: String) throws(VNetError) {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let valid = domain.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
        guard valid else {
            throw .invalidInput(
                "--domain '\(domain)' is not a DNS domain name; use labels of letters, digits and '-' "
                    + "joined by dots, like lab.example")
        }
    }
}
