import HostNet

/// Turns an overlay network of the file into one host's part of it: the links that host needs
/// and the libvirt network it defines on them.
///
/// On the gateway the network is the file's (isolated, or nat with `nat: true`) on the overlay's
/// bridge, which libvirt makes, so libvirt's dnsmasq serves the whole overlay; the VXLAN link is
/// plugged into it after each start. On every other host it is a bridged network on a bridge that
/// vnetctl makes with the VXLAN link as its port.
public enum OverlayPlacement {
    /// The part of `entry` on host `host` of `hosts`, or nil when the overlay does not span it.
    ///
    /// The links' MTU is left 0 unless the file gives `mtu:`; ``settle(_:underlayMTU:)`` takes it
    /// from the host the part is applied on.
    /// The gateway's part also reserves, in its DHCP, the addresses that the file's VMs on the other
    /// hosts give their NICs on the overlay (each with its `mac:`, which the parser requires).
    static func part(
        of entry: Topology.NetworkEntry, on host: String, hosts: [FleetHost], vms: [Topology.VMEntry]
    ) -> Topology.NetworkEntry? {
        guard let overlay = entry.overlay, overlay.hosts.contains(host) else { return nil }
        let address = { (name: String) in hosts.first { $0.name == name }?.address?.description }
        let bridge = entry.spec.bridge ?? overlay.defaultBridge
        var part = entry
        part.host = host
        part.overlayLinks = HostOverlayLinks(
            bridge: bridge, ownsBridge: host != overlay.gateway,
            vxlan: HostVXLAN(name: overlay.vxlanName, vni: overlay.vni, port: overlay.port, local: address(host) ?? ""),
            mtu: entry.spec.mtu ?? 0, peers: overlay.hosts.filter { $0 != host }.compactMap(address))
        if host == overlay.gateway {
            part.spec.bridge = bridge
            for vm in vms where vm.host != host && overlay.hosts.contains(vm.host) {
                for nic in vm.spec.nics where nic.network == entry.spec.name {
                    guard let ip = nic.ip, let mac = nic.mac else { continue }
                    part.spec.reservations.append(DHCPReservation(mac: mac, ip: ip, hostname: vm.spec.name))
                }
            }
        } else {
            var spec = NetworkSpec(name: entry.spec.name, model: .bridged, bridge: bridge)
            spec.topology = entry.spec.topology
            spec.templatePath = entry.spec.templatePath
            spec.settings = entry.spec.settings
            part.spec = spec
        }
        return part
    }

    /// A VM of a host that is not the gateway of an overlay its NICs are on: their addresses are
    /// reserved on the gateway, so on this host they are plain NICs on the bridged part.
    static func part(of vm: Topology.VMEntry, networks: [Topology.NetworkEntry]) -> Topology.VMEntry {
        var part = vm
        for index in part.spec.nics.indices {
            guard let name = part.spec.nics[index].network,
                  let overlay = networks.first(where: { $0.spec.name == name && $0.overlay != nil })?.overlay,
                  overlay.hosts.contains(vm.host), overlay.gateway != vm.host else { continue }
            part.spec.nics[index].ip = nil
        }
        return part
    }

    /// Gives each overlay part of `topology` its MTU from the underlay of the host the command runs
    /// on: `underlayMTU` of the host's address (the MTU of the link of the inventory's host that
    /// holds it), less VXLAN's overhead.
    ///
    /// Links on another host cannot be made from here: a part whose host's address is on no link
    /// of the connection's host (or whose host is another machine, whose links are unseen) is
    /// refused, naming the command to run on that host.
    static func settle(_ topology: Topology, underlayMTU: (String) -> Int?) throws(VNetError) -> Topology {
        var topology = topology
        for index in topology.networks.indices {
            let entry = topology.networks[index]
            let field = "\(topology.source):\(entry.line): networks.\(entry.spec.name)"
            guard entry.overlay != nil else { continue }
            guard var links = entry.overlayLinks else {
                throw .asking(
                    .invalidInput, "\(field): an overlay is applied per host; apply the file's hosts: (or one with ",
                    for: .host, value: "NAME", then: ")")
            }
            guard let underlay = underlayMTU(links.vxlan.local) else {
                throw .asking(
                    .invalidInput,
                    "\(field): the overlay's links on host '\(entry.host)' are made by vnetctl on that host, and no link here "
                        + "has its address \(links.vxlan.local); run ",
                    for: .applyOnHost, value: entry.host, then: " there, or correct its address: under hosts:")
            }
            let room = underlay - HostVXLAN.overhead
            if links.mtu > room {
                throw .invalidInput(
                    "\(field).mtu: \(links.mtu) leaves no room for VXLAN's \(HostVXLAN.overhead) bytes on a \(underlay)-byte "
                        + "underlay; use \(room) or less, or leave mtu: out")
            }
            if links.mtu == 0 { links.mtu = room }
            topology.networks[index].overlayLinks = links
            if !links.ownsBridge { topology.networks[index].spec.mtu = links.mtu }
        }
        return topology
    }
}
