import ArgumentParser
import VNetCore

/// `vnetctl host-bridge list`.
struct HostBridgeListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the host's bridges: state, STP, ports and addresses.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let bridges = try HostBridgeSetup.list()
        Output.emit(bridges, key: "bridges", json: global.json) {
            Table(
                headers: ["BRIDGE", "STATE", "STP", "MTU", "PORTS", "ADDRESSES"],
                rows: bridges.map { bridge in
                    [
                        bridge.name, bridge.up ? "up" : "down", bridge.stp.map { $0 ? "on" : "off" } ?? "-",
                        String(bridge.mtu), bridge.ports.isEmpty ? "-" : bridge.ports.joined(separator: ","),
                        bridge.addresses.isEmpty ? "-" : bridge.addresses.joined(separator: ","),
                    ]
                }
            ).rendered
        }
    }
}
