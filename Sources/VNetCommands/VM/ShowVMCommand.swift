import ArgumentParser
import VNetCore

/// `vnetctl show vm NAME`: each NIC's kind, source, MAC, model, reserved IP, leased IP and tap device, and
/// each disk's file and what backs it.
struct ShowVMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Show a VM: state, each NIC's kind, source, MAC, model, reserved and leased IP and tap device, and its disks.")

    @Argument(help: "The VM's name.", completion: Completions.vms)
    var name: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let connection = try global.connection(readOnly: true)
        let inventory = try Inventory.read(connection, [.networks, .domains])
        guard let entry = inventory.domain(named: name) else {
            throw VNetError(.invalidInput, "no VM named '\(name)'; 'vnetctl list vms' shows what exists", code: .notFound)
        }
        let details = try VMDetails(entry, in: inventory, on: connection)
        Output.emit(details, json: global.json) {
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
}
