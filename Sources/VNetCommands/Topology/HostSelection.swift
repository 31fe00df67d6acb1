import Libvirt
import VNetCore

/// `--host NAME` of `apply` and `teardown`: which part of a file a run covers and where it connects.
enum HostSelection {
    /// The whole file, or with `host` that host's part (`--host` refused when the file has no such host).
    static func part(of topology: Topology, host: String?) throws(VNetError) -> Topology {
        guard let host else { return topology }
        do {
            return try topology.requirePart(for: host)
        } catch {
            throw .invalidInput("--host: \(error.message)")
        }
    }

    /// The connection of a one-host run: `-c` when given, else the host's URI in the file (for
    /// `--host`), else libvirt's default.
    static func connection(for topology: Topology, global: GlobalOptions, readOnly: Bool) throws -> Connection {
        if global.connect != nil || !topology.isFleet { return try global.connection(readOnly: readOnly) }
        return try LibvirtSession.open(uri: topology.hosts[0].uri, readOnly: readOnly)
    }

    /// Opens each host of a fleet run through the URI the file gives it.
    static func opener(readOnly: Bool) -> FleetApplier.Opener {
        { host throws(VNetError) in try LibvirtSession.open(uri: host.uri, readOnly: readOnly) }
    }
}
