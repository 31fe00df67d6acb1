/// The fleet side of a topology: which host each network and VM is on, and each host's part.
extension Topology {
    /// True when the file names `hosts:`; a file without it describes the one implicit host.
    public var isFleet: Bool { !(hosts.count == 1 && hosts[0].isImplicit) }

    /// The host of the file named `name`.
    public func host(named name: String) -> FleetHost? {
        hosts.first { $0.name == name }
    }

    /// The part of the file on host `name`: its networks (and its part of each overlay that spans
    /// it) and VMs, with `hosts` that host alone.
    public func part(for name: String) -> Topology {
        var part = self
        part.hosts = hosts.filter { $0.name == name }
        part.networks = networks.compactMap { entry in
            entry.overlay == nil ? (entry.host == name ? entry : nil) : OverlayPlacement.part(of: entry, on: name, hosts: hosts, vms: vms)
        }
        part.vms = vms.filter { $0.host == name }.map { OverlayPlacement.part(of: $0, networks: networks) }
        return part
    }

    /// Each host's part of the file, in the order of `hosts`.
    public var parts: [(host: FleetHost, topology: Topology)] {
        hosts.map { ($0, part(for: $0.name)) }
    }
}

extension Topology {
    /// The part of the file on host `name`, refused as invalid input when the file names no such host.
    public func requirePart(for name: String) throws(VNetError) -> Topology {
        guard isFleet else {
            throw .invalidInput("host '\(name)': \(source) names no hosts:, so all of it is one host's; leave the host out")
        }
        guard host(named: name) != nil else {
            throw .invalidInput(
                "host '\(name)' is not under hosts: of \(source); its hosts are \(hosts.map(\.name).joined(separator: ", "))")
        }
        return part(for: name)
    }
}
