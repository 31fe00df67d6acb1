import HostNet

/// `model: overlay`: `vni`, `port`, `hosts` and `gateway` (and `nat`) besides the usual network keys.
extension TopologyParser {
    static let overlayKeys = ["vni", "port", "hosts", "gateway", "nat"]

    /// The overlay of a network entry whose model is `overlay`; nil for another model, which may
    /// then use none of the overlay's keys.
    static func overlay(_ fields: [String: TopologyNode], name: String, model: TopologyNode) throws(VNetError) -> OverlaySpec? {
        guard try model.string() == "overlay" else {
            if let key = overlayKeys.first(where: { fields[$0] != nil }), let field = fields[key] {
                throw field.error("\(key) applies to model: overlay only")
            }
            return nil
        }
        guard let vniNode = fields["vni"] else { throw model.error("overlay '\(name)' needs vni: (1 to \(HostVXLAN.vniRange.upperBound))") }
        let vni = try vniNode.int()
        guard HostVXLAN.vniRange.contains(vni) else {
            throw vniNode.error("VNI \(vni) is out of range; use 1 to \(HostVXLAN.vniRange.upperBound)")
        }
        let port = try fields["port"]?.int() ?? HostVXLAN.defaultPort
        if let node = fields["port"], !(1...65535).contains(port) { throw node.error("port \(port) is out of range; use 1 to 65535") }
        guard let hostsNode = fields["hosts"] else { throw model.error("overlay '\(name)' needs hosts: [HOST, HOST, …], the hosts it spans") }
        let hosts = try hostsNode.list().map { node throws(VNetError) in try node.string() }
        guard Set(hosts).count == hosts.count, hosts.count >= 2 else {
            throw hostsNode.error("an overlay spans two or more different hosts; name each once")
        }
        guard let gatewayNode = fields["gateway"] else {
            throw model.error("overlay '\(name)' needs gateway: HOST, the one of its hosts that serves its DHCP and DNS")
        }
        let gateway = try gatewayNode.string()
        guard hosts.contains(gateway) else {
            throw gatewayNode.error("gateway '\(gateway)' is not one of the overlay's hosts (\(hosts.joined(separator: ", "))); pick one of them")
        }
        if let field = fields["host"] { throw field.error("an overlay is on each of its hosts:; leave host: out") }
        for key in ["uplink", "create_bridge", "forwards"] {
            if let field = fields[key] { throw field.error("\(key) does not apply to an overlay; its gateway's network is isolated, or nat with nat: true") }
        }
        return OverlaySpec(vni: vni, port: port, hosts: hosts, gateway: gateway, nat: try fields["nat"]?.bool() ?? false)
    }

    /// Refuses two overlays with one VNI (both would carry one segment), and an overlay host that
    /// is not under `hosts:` or has no address there.
    ///
    /// A VM's NIC on an overlay must be on a host the overlay spans, and when it reserves an address
    /// on a host other than the gateway, give its MAC: the gateway reserves it, and cannot derive it.
    static func checkOverlays(
        _ networks: [Topology.NetworkEntry], hosts: [FleetHost], vms: [Topology.VMEntry], source: String
    ) throws(VNetError) {
        var seen: [Int: String] = [:]
        for entry in networks {
            guard let overlay = entry.overlay else { continue }
            let field = "\(source):\(entry.line): networks.\(entry.spec.name).hosts"
            for name in overlay.hosts {
                guard let host = hosts.first(where: { $0.name == name && !$0.isImplicit }) else {
                    throw .invalidInput("\(field): unknown host '\(name)'; an overlay spans hosts named under hosts:")
                }
                guard host.address != nil else {
                    throw .invalidInput(
                        "\(field): host '\(name)' has no address; give it address: under hosts: (its IP on the network between the hosts)")
                }
            }
            if let first = seen[overlay.vni] {
                throw .invalidInput(
                    "\(source):\(entry.line): networks.\(entry.spec.name).vni: VNI \(overlay.vni) is overlay '\(first)''s too; "
                        + "give each overlay its own")
            }
            seen[overlay.vni] = entry.spec.name
        }
        for vm in vms {
            for (index, nic) in vm.spec.nics.enumerated() {
                guard let name = nic.network, let overlay = networks.first(where: { $0.spec.name == name })?.overlay else { continue }
                let field = "\(source):\(vm.line): vms.\(vm.spec.name).nics[\(index)]"
                guard overlay.hosts.contains(vm.host) else {
                    throw .invalidInput(
                        "\(field): overlay '\(name)' does not span host '\(vm.host)'; add it to the overlay's hosts: or move the VM")
                }
                if nic.ip != nil, nic.mac == nil, vm.host != overlay.gateway {
                    throw .invalidInput(
                        "\(field): the address is reserved on the overlay's gateway '\(overlay.gateway)', which cannot derive "
                            + "this NIC's MAC on host '\(vm.host)'; give mac: too")
                }
            }
        }
    }
}
