import ArgumentParser
import VNetCore

/// `vnetctl forwards [list] NETWORK`: the forwards in a network's saved config.
struct ForwardsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the port forwards of a network (its saved config, what the next start uses).")

    @Argument(help: "The network's name.")
    var network: String

    @OptionGroup var global: GlobalOptions

    /// One forward as `forwards --json` prints it.
    struct Entry: Encodable {
        var forward: String
        var proto: String
        var address: String?
        var hostPorts: RangeValue<Int>
        var guest: String
        var guestPorts: RangeValue<Int>
        var vm: String?

        init(_ forward: PortForward) {
            self.forward = forward.description
            proto = forward.proto.rawValue
            address = forward.address?.description
            hostPorts = RangeValue(forward.hostPorts)
            guest = forward.guest?.description ?? ""
            guestPorts = RangeValue(forward.guestPorts)
            vm = forward.vm
        }
    }

    func run() throws {
        let connection = try global.connection(readOnly: true)
        let entries = try NetworkForwards.saved(try LibvirtLookup.network(named: network, on: connection)).map(Entry.init)
        Output.emit(entries, key: "forwards", json: global.json) {
            Table(
                headers: ["PROTOCOL", "HOST", "GUEST", "VM"],
                rows: entries.map { entry in
                    [entry.proto, "\(entry.address ?? "*"):\(entry.hostPorts)", "\(entry.guest):\(entry.guestPorts)", entry.vm ?? "-"]
                }
            ).rendered
        }
    }
}
