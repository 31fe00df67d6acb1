import HostNet

/// Turns an overlay network of the file into one host's part of it: the links that host needs
/// and the libvirt network it defines on them.
///
/// On the gateway the network is the file's (isolated, or nat with `nat: true`) on the overlay's
/// bridge, which libvirt makes, so libvirt's dnsmasq serves the whole overlay; the VXLAN link is
/// plugged into it after each start. On every other host it is a bridged network on a bridge that
/// vnetctl makes with the VXLAN link as its port.
public enum OverlayPlacement {
    /// The part of `entry` on `host`, or nil when the overlay does not span it.
    ///
    /// `address` gives each host's underlay address; `underlayMTU` the MTU of this host's link that
    /// holds an address (nil when none does), from which the overlay's MTU is the VXLAN overhead less.
    public static func part(
        of entry: Topology.NetworkEntry, on host: String, source: String, address: (String) -> String?,
        underlayMTU: (String) throws -> Int? = HostOverlay.underlayMTU
    ) throws(VNetError) -> Topology.NetworkEntry? {
        guard let overlay = entry.overlay, overlay.hosts.contains(host) else { return nil }
        let field = "\(source):\(entry.line): networks.\(entry.spec.name)"
        var addresses: [String: String] = [:]
        for name in overlay.hosts {
            guard let value = address(name) else {
                throw .invalidInput(
                    "\(field).hosts: host '\(name)' has no address; give it address: under hosts: (its IP on the network between the hosts)")
            }
            addresses[name] = value
        }
        let local = addresses[host]!
        let found: Int?
        do {
            found = try underlayMTU(local)
        } catch {
            throw .failure("cannot read this host's links: \(error)")
        }
        guard let underlay = found else {
            throw .invalidInput(
                "\(field): host '\(host)' has address \(local), but no link of this host has it; "
                    + "run apply --host NAME on the host NAME is, or correct its address: under hosts:")
        }
        let mtu = entry.spec.mtu ?? underlay - HostVXLAN.overhead
        if mtu > underlay - HostVXLAN.overhead {
            throw .invalidInput(
                "\(field).mtu: \(mtu) leaves no room for VXLAN's \(HostVXLAN.overhead) bytes on a \(underlay)-byte underlay; "
                    + "use \(underlay - HostVXLAN.overhead) or less, or leave mtu: out")
        }
        let bridge = entry.spec.bridge ?? overlay.defaultBridge
        var part = entry
        part.overlayLinks = HostOverlayLinks(
            bridge: bridge, ownsBridge: host != overlay.gateway,
            vxlan: HostVXLAN(name: overlay.vxlanName, vni: overlay.vni, port: overlay.port, local: local), mtu: mtu,
            peers: overlay.hosts.filter { $0 != host }.compactMap { addresses[$0] })
        if host == overlay.gateway {
            part.spec.bridge = bridge
            part.spec.mtu = mtu
        } else {
            var spec = NetworkSpec(name: entry.spec.name, model: .bridged, bridge: bridge)
            spec.topology = entry.spec.topology
            spec.templatePath = entry.spec.templatePath
            spec.settings = entry.spec.settings
            part.spec = spec
        }
        return part
    }
}
