import ArgumentParser
import VNetCore

/// `vnetctl show vm NAME`: each NIC's network, MAC, reserved IP, leased IP and tap device.
struct ShowVMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Show a VM: state and each NIC's network, MAC, reserved and leased IP, tap device.")

    @Argument(help: "The VM's name.")
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
            return lines.joined(separator: "\n")
        }
    }
}
