import ArgumentParser
import VNetCore

/// `vnetctl show vm NAME`: each NIC's kind, source, MAC, model, reserved IP, leased IP and tap device, and
/// each disk's file and what backs it.
struct ShowVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Show a VM: state, each NIC's kind, source, MAC, model, reserved and leased IP and tap device, and its disks.",
        discussion: """
            With several hosts (-c more than once, or --hosts FILE) each host is read at once and the VM is \
            shown on every host that has it, each naming its host; a host that cannot be read is named and makes the exit 1.
            """)

    @Argument(help: "The VM's name.", completion: Completions.vms)
    var name: String

    @Option(name: FleetOptions.name, help: FleetOptions.help) var hostsFile: String?
    @OptionGroup var global: GlobalOptions

    private struct FleetDetails: Encodable {
        var hosts: [FleetHostReport]
        var vms: [Hosted<VMDetails>]
    }

    func run() throws {
        if let hosts = try FleetOptions.hosts(file: hostsFile, global) { return try run(hosts) }
        let connection = try global.connection(readOnly: true)
        var inventory = try Inventory.read(connection, Inventory.Scope(domains: .named([name])))
        guard let entry = inventory.domain(named: name) else {
            throw VNetError(.invalidInput, "no VM named '\(name)'; 'vnetctl list vms' shows what exists", code: .notFound)
        }
        try inventory.add(Inventory.Scope(networks: .named(entry.networkNames)), from: connection)
        let details = try VMDetails(entry, in: inventory, on: connection)
        Output.emit(details, json: global.json) { Self.text(details) }
    }

    /// The fleet-wide form: the VM on every host that has it.
    private func run(_ hosts: [FleetHost]) throws {
        let reads = FleetReader.read(hosts, [.networks, .domains])
        var found: [Hosted<VMDetails>] = []
        for read in reads {
            guard let host = read.read, let entry = host.inventory.domain(named: name) else { continue }
            found.append(Hosted(host: read.host.name, value: try VMDetails(entry, in: host.inventory, on: host.connection)))
        }
        if found.isEmpty, reads.allSatisfy({ $0.error == nil }) {
            throw VNetError(.invalidInput, "no VM named '\(name)' on any of the hosts; 'vnetctl list vms' shows what exists", code: .notFound)
        }
        Output.emit(FleetDetails(hosts: FleetHostReport.reports(reads), vms: found), json: global.json) {
            found.map { "host:     \($0.host)\n" + Self.text($0.value) }.joined(separator: "\n\n")
        }
        try FleetHostReport.finish(reads, json: global.json)
    }

    static func text(_ details: VMDetails) -> String {
        var lines = [
            "vm:       \(details.name)\(details.managed ? "" : " (not defined by vnetctl)")",
            "state:    \(details.state)",
        ]
        for nic in details.nics {
            let parts = [
                "nic:      \(nic.mac ?? "-")", "\(nic.kind) \(nic.source)", nic.model.map { "model \($0)" },
                nic.reservedIP.map { "reserved \($0)" }, nic.leasedIP.map { "leased \($0)" },
                nic.tap.map { "tap \($0)" }, nic.teaming.map { "teaming \($0.type)" + ($0.persistent.map { " of \($0)" } ?? "") },
            ]
            lines.append(parts.compactMap { $0 }.joined(separator: ", "))
        }
        for disk in details.disks {
            let parts = [
                "disk:     \(disk.target ?? "-") \(disk.source ?? "-")", disk.backing.map { "backed by \($0)" },
                disk.transient ? "transient (writes discarded at power-off)" : nil,
                disk.overlay ? "overlay made by vnetctl (deleted with the VM)" : nil,
            ]
            lines.append(parts.compactMap { $0 }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
