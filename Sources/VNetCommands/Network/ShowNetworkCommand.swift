import ArgumentParser
import FoundationEssentials
import VNetCore

/// `vnetctl show network NAME`: model, bridge, addresses, DHCP, leases, VMs, and the upstream route.
struct ShowNetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "Show a network: model, addresses, DHCP, leases and VMs.",
        discussion: """
            With several hosts (-c more than once, or --hosts FILE) each host is read at once and the network \
            is shown on every host that has it, each naming its host; a host that cannot be read is named and makes the exit 1.
            """)

    @Argument(help: "The network's name.", completion: Completions.networks)
    var name: String

    @Option(name: FleetOptions.name, help: FleetOptions.help) var hostsFile: String?
    @OptionGroup var global: GlobalOptions

    private struct FleetDetails: Encodable {
        var hosts: [FleetHostReport]
        var networks: [Hosted<NetworkDetails>]
    }

    func run() throws {
        if let hosts = try FleetOptions.hosts(file: hostsFile, global) { return try run(hosts) }
        let connection = try global.connection(readOnly: true)
        // Its VMs are every domain with a NIC on it, so every domain is read; the host only for
        // the upstream route of a routed network.
        var inventory = try Inventory.read(connection, Inventory.Scope(networks: .named([name]), domains: .all))
        guard let entry = inventory.network(named: name) else {
            throw VNetError(.invalidInput, "no network named '\(name)'; 'vnetctl list networks' shows what exists", code: .notFound)
        }
        if entry.current.model == .routed { try inventory.add(Inventory.Scope(host: true), from: connection) }
        // Leases exist only while the network runs, and not on every driver.
        let leases = entry.active ? ((try? entry.network.dhcpLeases()) ?? []) : []
        let details = NetworkDetails(entry, in: inventory, leases: leases)
        Output.emit(details, json: global.json) { Self.text(details) }
    }

    /// The fleet-wide form: the network on every host that has it.
    private func run(_ hosts: [FleetHost]) throws {
        let reads = FleetReader.read(hosts, .all)
        var found: [Hosted<NetworkDetails>] = []
        for read in reads {
            guard let host = read.read, let entry = host.inventory.network(named: name) else { continue }
            let leases = entry.active ? ((try? entry.network.dhcpLeases()) ?? []) : []
            found.append(Hosted(host: read.host.name, value: NetworkDetails(entry, in: host.inventory, leases: leases)))
        }
        if found.isEmpty, reads.allSatisfy({ $0.error == nil }) {
            throw VNetError(
                .invalidInput, "no network named '\(name)' on any of the hosts; 'vnetctl list networks' shows what exists", code: .notFound)
        }
        Output.emit(FleetDetails(hosts: FleetHostReport.reports(reads), networks: found), json: global.json) {
            found.map { "host:       \($0.host)\n" + Self.text($0.value) }.joined(separator: "\n\n")
        }
        try FleetHostReport.finish(reads, json: global.json)
    }

    static func text(_ details: NetworkDetails) -> String {
        let summary = details.summary, config = details.config
        var lines = [
            "network:    \(summary.name)\(summary.managed ? "" : " (not defined by vnetctl)")",
            "model:      \(summary.model)" + (summary.forwardMode.map { $0 == summary.model ? "" : " (forward mode \($0))" } ?? ""),
            "state:      \(summary.active ? "active" : "inactive"), autostart \(summary.autostart ? "on" : "off")",
            "bridge:     \(summary.bridge ?? "-")" + (config.mac.map { ", mac \($0)" } ?? ""),
        ]
        if !summary.uplinks.isEmpty { lines.append("uplinks:    \(summary.uplinks.joined(separator: ", "))") }
        if let pf = config.forward?.physicalFunction { lines.append("pf:         \(pf)") }
        if let mtu = config.mtu { lines.append("mtu:        \(mtu)") }
        if let domain = config.domain { lines.append("domain:     \(domain)") }
        lines.append("addresses:  \(summary.addresses.isEmpty ? "-" : summary.addresses.joined(separator: ", "))")
        lines.append("dhcp:       \(details.dhcpRanges.isEmpty ? "-" : details.dhcpRanges.map(\.description).joined(separator: ", "))")
        if let template = details.template { lines.append("template:   \(template)") }
        for reservation in details.reservations {
            lines.append("reserved:   \(reservation.text)")
        }
        for host in config.dnsHosts {
            lines.append("dns host:   \(host.ip) \(host.hostnames.joined(separator: " "))")
        }
        for lease in details.leases {
            lines.append("lease:      \(lease.mac) \(lease.address)\(lease.hostname.map { " \($0)" } ?? "")")
        }
        for vm in details.vms {
            lines.append("vm:         \(vm.name) (\(vm.state)) \(vm.macs.joined(separator: ", "))")
        }
        if let route = details.upstreamRoute {
            lines.append("upstream:   the router needs: \(route)")
        }
        return lines.joined(separator: "\n")
    }
}

/// `vnetctl show network|vm NAME`.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a network or VM in detail.", subcommands: [ShowNetworkCommand.self, ShowVMCommand.self])
}
