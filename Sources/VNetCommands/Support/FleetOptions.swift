import ArgumentParser
import FoundationEssentials
import VNetCore

/// `--hosts FILE`: the hosts of a fleet, for the commands that read several hosts (`list`, `macs`,
/// `show`); `-c` given more than once names hosts too.
///
/// Each of those commands declares the option itself, `@Option(name: FleetOptions.name, help:
/// FleetOptions.help) var hostsFile: String?`, rather than through an `@OptionGroup`: every group
/// type costs each parse four Swift-runtime conformance lookups (about 1 M instructions), and the
/// help is the same.
enum FleetOptions {
    /// The option's name, `--hosts`.
    static let name = NameSpecification.customLong("hosts")

    /// The option's help.
    static var help: ArgumentHelp {
        ArgumentHelp("Read every host under FILE's hosts: (a fleet topology file), at once.", valueName: "FILE")
    }

    /// The hosts to read, or nil for the one host of `-c` (or libvirt's default); `file` is `--hosts`.
    static func hosts(file: String?, _ global: GlobalOptions) throws(VNetError) -> [FleetHost]? {
        if let file {
            guard global.connect.isEmpty else {
                throw .invalidInput("--hosts and -c both name hosts; give the hosts in \(file) or with -c, not both")
            }
            let topology = try TopologyParser.parse(file: file)
            guard topology.isFleet else {
                throw .invalidInput("\(file) has no hosts:; name each host there as NAME: {uri: URI}")
            }
            return topology.hosts
        }
        return global.connect.count > 1 ? FleetReader.hosts(uris: global.connect) : nil
    }
}

/// What a fleet-wide read tells about each host: its name and URI, what it did not show, and why
/// it could not be read.
struct FleetHostReport: Encodable {
    var name: String
    var uri: String?
    /// Facts a remote host does not let us see.
    var unseen: [String]
    /// Why the host could not be read; nil when it was.
    var error: String?

    static func reports(_ reads: [FleetReader.HostInventory]) -> [FleetHostReport] {
        reads.map { read in
            FleetHostReport(
                name: read.host.name, uri: read.host.uri, unseen: read.read.map { MACInventory($0.inventory).unseen } ?? [],
                error: read.error?.commandLineMessage)
        }
    }

    /// Names each host that could not be read on stderr (with `--json`, its `error` in `hosts`
    /// says it), and exits 1 when there was one; the other hosts' results are out by then.
    static func finish(_ reads: [FleetReader.HostInventory], json: Bool) throws {
        let failed = reads.filter { $0.error != nil }
        for read in failed where !json {
            let uri = read.host.uri.map { $0 == read.host.name ? "" : " (\($0))" } ?? ""
            StandardStreams.writeError("vnetctl: host \(read.host.name)\(uri) was not read: \(read.error?.commandLineMessage ?? "")\n")
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }
}

/// A row of a fleet-wide result: the object's own fields with its `host` beside them.
struct Hosted<Value: Encodable>: Encodable {
    var host: String
    var value: Value

    private enum Key: String, CodingKey { case host }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(host, forKey: .host)
    }
}
