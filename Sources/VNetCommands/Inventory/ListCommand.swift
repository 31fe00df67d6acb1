import ArgumentParser
import VNetCore

/// `vnetctl list [networks|vms]`: every network and VM on the connection, vnetctl's or not.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List networks and VMs (all of them, including those made with virsh).",
        discussion: """
            With several hosts (-c more than once, or --hosts FILE) each host is read at once and every row \
            names its host; a host that cannot be read is named and makes the exit 1.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case networks, vms
    }

    @Argument(help: "What to list: networks or vms (default: both).")
    var kind: Kind?

    @Option(name: FleetOptions.name, help: FleetOptions.help) var hostsFile: String?
    @OptionGroup var global: GlobalOptions

    private struct Listing: Encodable {
        var networks: [NetworkSummary]?
        var vms: [DomainSummary]?
    }

    private struct FleetListing: Encodable {
        var hosts: [FleetHostReport]
        var networks: [Hosted<NetworkSummary>]?
        var vms: [Hosted<DomainSummary>]?
    }

    private var parts: Inventory.Parts {
        switch kind {
        case .networks: .networks
        case .vms: .domains
        case nil: [.networks, .domains]
        }
    }

    func run() throws {
        if let hosts = try FleetOptions.hosts(file: hostsFile, global) { return try run(hosts) }
        let connection = try global.connection(readOnly: true)
        let inventory = try Inventory.read(connection, parts)
        var listing = Listing()
        if kind != .vms { listing.networks = inventory.networks.map(NetworkSummary.init) }
        if kind != .networks { listing.vms = inventory.domains.map(DomainSummary.init) }
        Output.emit(listing, json: global.json) {
            var sections: [String] = []
            if let networks = listing.networks {
                sections.append(Self.table(networks))
            }
            if let vms = listing.vms {
                sections.append(Self.table(vms))
            }
            return sections.joined(separator: "\n\n")
        }
    }

    /// The fleet-wide form: every host read at once, each row naming its host.
    private func run(_ hosts: [FleetHost]) throws {
        let reads = FleetReader.read(hosts, parts)
        let read = reads.compactMap { read in read.read.map { (host: read.host.name, inventory: $0.inventory) } }
        var listing = FleetListing(hosts: FleetHostReport.reports(reads))
        if kind != .vms {
            listing.networks = read.flatMap { host in host.inventory.networks.map { Hosted(host: host.host, value: NetworkSummary($0)) } }
        }
        if kind != .networks {
            listing.vms = read.flatMap { host in host.inventory.domains.map { Hosted(host: host.host, value: DomainSummary($0)) } }
        }
        Output.emit(listing, json: global.json) {
            var sections: [String] = []
            if let networks = listing.networks {
                sections.append(Self.table(networks.map(\.value), hosts: networks.map(\.host)))
            }
            if let vms = listing.vms {
                sections.append(Self.table(vms.map(\.value), hosts: vms.map(\.host)))
            }
            return sections.joined(separator: "\n\n")
        }
        try FleetHostReport.finish(reads, json: global.json)
    }

    /// `table` with a HOST column first, when `hosts` names each row's host.
    private static func withHosts(_ table: Table, _ hosts: [String]?) -> String {
        guard let hosts else { return table.rendered }
        return Table(headers: ["HOST"] + table.headers, rows: zip(hosts, table.rows).map { [$0] + $1 }).rendered
    }

    private static func table(_ networks: [NetworkSummary], hosts: [String]? = nil) -> String {
        withHosts(Table(
            headers: ["NETWORK", "MODEL", "STATE", "AUTOSTART", "PERSISTENT", "BRIDGE", "ADDRESSES"],
            rows: networks.map { network in
                [
                    network.name, network.model,
                    network.active ? "active" : "inactive", network.autostart ? "yes" : "no",
                    network.persistent ? "yes" : "no", network.bridge ?? "-",
                    network.addresses.isEmpty ? "-" : network.addresses.joined(separator: ","),
                ]
            }
        ), hosts)
    }

    private static func table(_ vms: [DomainSummary], hosts: [String]? = nil) -> String {
        withHosts(Table(
            headers: ["VM", "STATE", "PERSISTENT", "NICS"],
            rows: vms.map { vm in
                let nics = vm.nics.map { nic in
                    "\(nic.source.network ?? nic.source.bridge ?? nic.source.dev ?? nic.kind)=\(nic.mac ?? "?")"
                }
                return [vm.name, vm.state, vm.persistent ? "yes" : "no", nics.isEmpty ? "-" : nics.joined(separator: ",")]
            }
        ), hosts)
    }
}
