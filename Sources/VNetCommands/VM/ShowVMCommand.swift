import ArgumentParser
import VNetCore

/// `vnetctl show vm NAME`: each NIC's network, MAC, reserved IP, leased IP and tap device, and
/// each disk's file and what backs it.
struct ShowVMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Show a VM: state, each NIC's network, MAC, reserved and leased IP and tap device, and its disks.")

    @Argument(help: "The VM's name.", completion: Completions.vms)
    var name: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let connection = try global.connection(readOnly: true)
        let details = try VMDetails(try LibvirtLookup.domain(named: name, on: connection), on: connection)
        Output.emit(details, json: global.json) {
            var lines = [
                "vm:       \(details.name)\(details.managed ? "" : " (not defined by vnetctl)")",
                "state:    \(details.state)",
            ]
            for nic in details.nics {
                let parts = [
                    "nic:      \(nic.mac ?? "-")", "network \(nic.network ?? nic.bridge ?? "-")",
                    nic.reservedIP.map { "reserved \($0)" }, nic.leasedIP.map { "leased \($0)" },
                    nic.tap.map { "tap \($0)" },
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
