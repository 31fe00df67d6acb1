/// The text of each flavour's configuration files. Pure functions of the plan, so tests compare
/// them with golden files.
enum HostBridgeConfigRenderers {
    // MARK: systemd-networkd

    /// `05-vnetctl-BR.netdev`, `05-vnetctl-BR.network` and `05-vnetctl-BR-port-DEV.network`; the
    /// `05-` prefix sorts them before a distribution's own files, since networkd uses the first match.
    static func networkd(_ view: BridgeView) -> [HostBridgeConfigFile] {
        let name = view.bridge.name
        let directory = "/etc/systemd/network/05-vnetctl-\(name)"
        var netdev = [HostBridgeConfigFile.marker(name), "[NetDev]", "Name=\(name)", "Kind=bridge"]
        if let mac = view.bridge.mac { netdev.append("MACAddress=\(mac)") }
        if let mtu = view.bridge.mtu { netdev.append("MTUBytes=\(mtu)") }
        netdev += ["", "[Bridge]", "STP=\(view.bridge.stp ? "yes" : "no")", "ForwardDelaySec=\(view.bridge.forwardDelay)"]

        var network = [HostBridgeConfigFile.marker(name), "[Match]", "Name=\(name)", "", "[Network]"]
        switch (view.dhcpV4, view.autoV6) {
        case (true, true): network.append("DHCP=yes")
        case (true, false): network.append("DHCP=ipv4")
        case (false, true): network.append("IPv6AcceptRA=yes")
        case (false, false): break
        }
        network += view.staticAddresses.map { "Address=\($0.cidr)" }
        network.append("ConfigureWithoutCarrier=yes")
        for route in [view.defaultV4, view.defaultV6].compactMap({ $0 }) + view.otherRoutes {
            network += ["", "[Route]"]
            if !route.isDefault { network.append("Destination=\(route.destinationText)") }
            if let gateway = route.gateway { network.append("Gateway=\(gateway)") }
            if route.onlink { network.append("GatewayOnLink=yes") }
            if route.metric != 0 { network.append("Metric=\(route.metric)") }
            if route.table != 254 { network.append("Table=\(route.table)") }
            if let source = route.preferredSource { network.append("PreferredSource=\(source)") }
        }
        var files = [
            HostBridgeConfigFile(path: "\(directory).netdev", contents: lines(netdev)),
            HostBridgeConfigFile(path: "\(directory).network", contents: lines(network)),
        ]
        if let uplink = view.uplink {
            let port = [HostBridgeConfigFile.marker(name), "[Match]", "Name=\(uplink)", "", "[Network]", "Bridge=\(name)"]
            files.append(HostBridgeConfigFile(path: "\(directory)-port-\(uplink).network", contents: lines(port)))
        }
        return files
    }

    // MARK: ifupdown

    /// `/etc/network/interfaces.d/BR`, for ifupdown with bridge-utils' `bridge_*` options.
    static func ifupdown(_ view: BridgeView) -> [HostBridgeConfigFile] {
        let name = view.bridge.name
        var text = [HostBridgeConfigFile.marker(name)]
        if let uplink = view.uplink {
            text.append("# \(uplink) is the bridge's port: it must have no iface stanza of its own elsewhere.")
        }
        text += ["auto \(name)"]
        let v4 = view.addresses(.ipv4)
        let method = !v4.isEmpty ? "static" : (view.dhcpV4 ? "dhcp" : "manual")
        text.append("iface \(name) inet \(method)")
        text.append("    bridge_ports \(view.uplink ?? "none")")
        text.append("    bridge_stp \(view.bridge.stp ? "on" : "off")")
        text.append("    bridge_fd \(view.bridge.forwardDelay)")
        if let mac = view.bridge.mac { text.append("    bridge_hw \(mac)") }
        if let mtu = view.bridge.mtu { text.append("    mtu \(mtu)") }
        if let first = v4.first {
            text.append("    address \(first.cidr)")
            if let gateway = view.defaultV4?.gateway, view.defaultV4?.metric == 0 { text.append("    gateway \(gateway)") }
        }
        for extra in v4.dropFirst() {
            text.append("    up ip addr add \(extra.cidr) dev \(name)")
        }
        var routes = view.otherRoutes.filter { $0.family == .ipv4 }
        if let route = view.defaultV4, route.metric != 0 || v4.isEmpty { routes.insert(route, at: 0) }
        text += routes.map { "    up ip route add \($0.summary) dev \(name)" }

        let v6 = view.addresses(.ipv6)
        var routes6 = view.otherRoutes.filter { $0.family == .ipv6 }
        if !v6.isEmpty || view.autoV6 || view.defaultV6 != nil || !routes6.isEmpty {
            text += ["", "iface \(name) inet6 \(!v6.isEmpty ? "static" : (view.autoV6 ? "auto" : "manual"))"]
            if let first = v6.first {
                text.append("    address \(first.cidr)")
                if let gateway = view.defaultV6?.gateway, view.defaultV6?.metric == 1024 { text.append("    gateway \(gateway)") }
            }
            for extra in v6.dropFirst() { text.append("    up ip -6 addr add \(extra.cidr) dev \(name)") }
            if let route = view.defaultV6, route.metric != 1024 || v6.isEmpty { routes6.insert(route, at: 0) }
            text += routes6.map { "    up ip -6 route add \($0.summary) dev \(name)" }
        }
        return [HostBridgeConfigFile(path: "/etc/network/interfaces.d/\(name)", contents: lines(text))]
    }

    // MARK: NetworkManager

    /// `BR.nmconnection` and `BR-port-DEV.nmconnection` keyfiles, mode 0600. The UUIDs derive from
    /// the names, so writing the same bridge twice gives the same files.
    static func networkManager(_ view: BridgeView) -> [HostBridgeConfigFile] {
        let name = view.bridge.name
        let directory = "/etc/NetworkManager/system-connections"
        var text = [
            HostBridgeConfigFile.marker(name), "[connection]", "id=\(name)", "uuid=\(uuid("bridge:\(name)"))",
            "type=bridge", "interface-name=\(name)", "autoconnect=true",
        ]
        var ethernet: [String] = []
        if let mac = view.bridge.mac { ethernet.append("cloned-mac-address=\(mac)") }
        if let mtu = view.bridge.mtu { ethernet.append("mtu=\(mtu)") }
        if !ethernet.isEmpty { text += ["", "[ethernet]"] + ethernet }
        text += ["", "[bridge]", "stp=\(view.bridge.stp)", "forward-delay=\(view.bridge.forwardDelay)"]
        for family in [HostAddress.Family.ipv4, .ipv6] {
            let addresses = view.addresses(family)
            let dynamic = family == .ipv4 ? view.dhcpV4 : view.autoV6
            let method = !addresses.isEmpty ? "manual" : (dynamic ? "auto" : (family == .ipv4 ? "disabled" : "link-local"))
            text += ["", "[\(family.rawValue)]", "method=\(method)"]
            for (number, address) in addresses.enumerated() { text.append("address\(number + 1)=\(address.cidr)") }
            let defaultRoute = family == .ipv4 ? view.defaultV4 : view.defaultV6
            var routes = view.otherRoutes.filter { $0.family == family }
            if let route = defaultRoute {
                if addresses.isEmpty {
                    routes.insert(route, at: 0)
                } else {
                    text.append("gateway=\(route.gateway ?? "")")
                    if route.metric != 0 && !(family == .ipv6 && route.metric == 1024) { text.append("route-metric=\(route.metric)") }
                }
            }
            for (number, route) in routes.enumerated() {
                var value = route.destinationText == "default" ? (family == .ipv4 ? "0.0.0.0/0" : "::/0") : route.destinationText
                if let gateway = route.gateway { value += ",\(gateway)" }
                if route.metric != 0 { value += (route.gateway == nil ? ",," : ",") + String(route.metric) }
                text.append("route\(number + 1)=\(value)")
                var options: [String] = []
                if route.table != 254 { options.append("table=\(route.table)") }
                if route.onlink { options.append("onlink=true") }
                if let source = route.preferredSource { options.append("src=\(source)") }
                if !options.isEmpty { text.append("route\(number + 1)_options=\(options.joined(separator: ","))") }
            }
        }
        var files = [HostBridgeConfigFile(path: "\(directory)/\(name).nmconnection", contents: lines(text), mode: 0o600)]
        if let uplink = view.uplink {
            let port = [
                HostBridgeConfigFile.marker(name), "[connection]", "id=\(name)-port-\(uplink)",
                "uuid=\(uuid("port:\(name):\(uplink)"))", "type=ethernet", "interface-name=\(uplink)",
                "master=\(name)", "slave-type=bridge", "autoconnect=true", "autoconnect-priority=10",
            ]
            files.append(HostBridgeConfigFile(
                path: "\(directory)/\(name)-port-\(uplink).nmconnection", contents: lines(port), mode: 0o600))
        }
        return files
    }

    // MARK: Red Hat ifcfg

    /// `ifcfg-BR`, `ifcfg-DEV` (an existing one is moved aside), and `route-BR`/`route6-BR` for
    /// routes other than the default.
    static func ifcfg(_ view: BridgeView) -> [HostBridgeConfigFile] {
        let name = view.bridge.name
        let directory = "/etc/sysconfig/network-scripts"
        let v4 = view.addresses(.ipv4)
        let v6 = view.addresses(.ipv6)
        var text = [
            HostBridgeConfigFile.marker(name), "DEVICE=\(name)", "TYPE=Bridge", "ONBOOT=yes",
            "BOOTPROTO=\(v4.isEmpty && view.dhcpV4 ? "dhcp" : "none")",
        ]
        if let mac = view.bridge.mac { text.append("MACADDR=\(mac)") }
        if let mtu = view.bridge.mtu { text.append("MTU=\(mtu)") }
        text += ["STP=\(view.bridge.stp ? "yes" : "no")", "DELAY=\(view.bridge.forwardDelay)"]
        for (number, address) in v4.enumerated() {
            let suffix = number == 0 ? "" : String(number)
            text += ["IPADDR\(suffix)=\(address.address)", "PREFIX\(suffix)=\(address.prefixLength)"]
        }
        var routes = view.otherRoutes
        if let route = view.defaultV4 {
            if route.metric == 0 { text.append("GATEWAY=\(route.gateway ?? "")") } else { routes.insert(route, at: 0) }
        }
        if !v6.isEmpty || view.autoV6 || view.defaultV6 != nil {
            text.append("IPV6INIT=yes")
            text.append("IPV6_AUTOCONF=\(view.autoV6 ? "yes" : "no")")
            if let first = v6.first { text.append("IPV6ADDR=\(first.cidr)") }
            if v6.count > 1 { text.append("IPV6ADDR_SECONDARIES=\"\(v6.dropFirst().map(\.cidr).joined(separator: " "))\"") }
            if let route = view.defaultV6 {
                if route.metric == 1024 { text.append("IPV6_DEFAULTGW=\(route.gateway ?? "")") } else { routes.insert(route, at: 0) }
            }
        }
        var files = [HostBridgeConfigFile(path: "\(directory)/ifcfg-\(name)", contents: lines(text))]
        if let uplink = view.uplink {
            let port = [HostBridgeConfigFile.marker(name), "DEVICE=\(uplink)", "ONBOOT=yes", "BRIDGE=\(name)", "BOOTPROTO=none"]
            files.append(HostBridgeConfigFile(path: "\(directory)/ifcfg-\(uplink)", contents: lines(port)))
        }
        for family in [HostAddress.Family.ipv4, .ipv6] {
            let selected = routes.filter { $0.family == family }
            guard !selected.isEmpty else { continue }
            let file = family == .ipv4 ? "route-\(name)" : "route6-\(name)"
            let body = [HostBridgeConfigFile.marker(name)] + selected.map { "\($0.summary) dev \(name)" }
            files.append(HostBridgeConfigFile(path: "\(directory)/\(file)", contents: lines(body)))
        }
        return files
    }

    // MARK: helpers

    private static func lines(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    /// A name-based UUID: two FNV-1a 64-bit hashes of `name`, with the RFC 4122 version (8,
    /// custom) and variant bits set.
    static func uuid(_ name: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in ("vnetctl:" + name).utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            return hash
        }
        var bytes = withUnsafeBytes(of: fnv(0xCBF2_9CE4_8422_2325).bigEndian, Array.init)
            + withUnsafeBytes(of: fnv(0x84222325_CBF29CE4).bigEndian, Array.init)
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return parts.joined(separator: "-")
    }
}
