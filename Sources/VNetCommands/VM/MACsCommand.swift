import ArgumentParser
import VNetCore

/// `vnetctl macs [--check]`: every MAC on the host with its owner; `--check` fails on duplicates.
/// With several hosts (`-c` twice, `--hosts FILE`) every row names its host, and a MAC that two
/// hosts use is a duplicate.
struct MACsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "macs",
        abstract: "List every MAC on the host (VM NICs, DHCP reservations, host interfaces) with its owner.",
        discussion: """
            --check exits 1 and names each duplicate when there is any, 0 when none. With several hosts \
            (-c more than once, or --hosts FILE) each host is read at once, every row names its host, a MAC \
            used on two hosts is a duplicate naming both, and a host that cannot be read is named and makes the exit 1.
            """)

    @Flag(help: "Report only duplicates; exit 1 when there is any.")
    var check = false

    @Option(name: FleetOptions.name, help: FleetOptions.help) var hostsFile: String?
    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        var macs: [MACInventory.Use]?
        var duplicates: [[MACInventory.Use]]
        /// What a remote host does not let us see.
        var unseen: [String]
    }

    struct FleetReport: Encodable {
        var hosts: [FleetHostReport]
        var macs: [FleetMACs.Use]?
        var duplicates: [[FleetMACs.Use]]
    }

    func run() throws {
        if let hosts = try FleetOptions.hosts(file: hostsFile, global) { return try run(hosts) }
        let host = try Inventory.read(try global.connection(readOnly: true), Inventory.Scope(.all, hostIdentity: false))
        let inventory = MACInventory(host)
        let duplicates = inventory.duplicates
        let report = Report(macs: check ? nil : inventory.uses.sorted { $0.mac < $1.mac }, duplicates: duplicates, unseen: inventory.unseen)
        Output.emit(report, json: global.json) {
            if check {
                return duplicates.isEmpty ? "no duplicate MACs"
                    : duplicates.map { "duplicate \($0[0].mac): " + $0.map(\.description).joined(separator: "; ") }
                        .joined(separator: "\n")
            }
            return Table(
                headers: ["MAC", "KIND", "OWNER", "DETAIL"],
                rows: (report.macs ?? []).map { [$0.mac.description, $0.kind.rawValue, $0.owner, $0.detail ?? "-"] }
            ).rendered
        }
        if check, !duplicates.isEmpty { throw ExitCode(1) }
    }

    /// The fleet-wide form: every host read at once.
    private func run(_ hosts: [FleetHost]) throws {
        let reads = FleetReader.read(hosts, .all)
        let macs = FleetMACs(reads.compactMap { read in read.read.map { (read.host.name, MACInventory($0.inventory)) } })
        let duplicates = macs.duplicates
        let report = FleetReport(hosts: FleetHostReport.reports(reads), macs: check ? nil : macs.uses, duplicates: duplicates)
        Output.emit(report, json: global.json) {
            if check {
                return duplicates.isEmpty ? "no duplicate MACs"
                    : duplicates.map { "duplicate \($0[0].mac): " + $0.map(\.description).joined(separator: "; ") }
                        .joined(separator: "\n")
            }
            return Table(
                headers: ["HOST", "MAC", "KIND", "OWNER", "DETAIL"],
                rows: macs.uses.map { [$0.host, $0.mac.description, $0.use.kind.rawValue, $0.use.owner, $0.use.detail ?? "-"] }
            ).rendered
        }
        try FleetHostReport.finish(reads, json: global.json)
        if check, !duplicates.isEmpty { throw ExitCode(1) }
    }
}
