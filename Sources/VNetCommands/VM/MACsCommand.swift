import ArgumentParser
import VNetCore

/// `vnetctl macs [--check]`: every MAC on the host with its owner; `--check` fails on duplicates.
struct MACsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "macs",
        abstract: "List every MAC on the host (VM NICs, DHCP reservations, host interfaces) with its owner.",
        discussion: "--check exits 1 and names each duplicate when there is any, 0 when none.")

    @Flag(help: "Report only duplicates; exit 1 when there is any.")
    var check = false

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        var macs: [MACInventory.Use]?
        var duplicates: [[MACInventory.Use]]
        /// What a remote host does not let us see.
        var unseen: [String]
    }

    func run() async throws {
        let host = try Inventory.read(try global.connection(readOnly: true))
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
}
