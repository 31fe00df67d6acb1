import ArgumentParser
import VNetCore

/// `vnetctl list [networks|vms]`: every network and VM on the connection, vnetctl's or not.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List networks and VMs (all of them, including those made with virsh).")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case networks, vms
    }

    @Argument(help: "What to list: networks or vms (default: both).")
    var kind: Kind?

    @OptionGroup var global: GlobalOptions

    private struct Listing: Encodable {
        var networks: [NetworkSummary]?
        var vms: [DomainSummary]?
    }

    func run() async throws {
        let connection = try global.connection(readOnly: true)
        var listing = Listing()
        if kind != .vms {
            listing.networks = try ObjectScan.networks(on: connection, NetworkSummary.init).sorted { $0.name < $1.name }
        }
        if kind != .networks {
            listing.vms = try ObjectScan.domains(on: connection, DomainSummary.init).sorted { $0.name < $1.name }
        }
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

    private static func table(_ networks: [NetworkSummary]) -> String {
        Table(
            headers: ["NETWORK", "MODEL", "STATE", "AUTOSTART", "PERSISTENT", "BRIDGE", "ADDRESSES"],
            rows: networks.map { network in
                [
                    network.name, network.model?.rawValue ?? network.forwardMode ?? "-",
                    network.active ? "active" : "inactive", network.autostart ? "yes" : "no",
                    network.persistent ? "yes" : "no", network.bridge ?? "-",
                    network.addresses.isEmpty ? "-" : network.addresses.joined(separator: ","),
                ]
            }
        ).rendered
    }

    private static func table(_ vms: [DomainSummary]) -> String {
        Table(
            headers: ["VM", "STATE", "PERSISTENT", "NICS"],
            rows: vms.map { vm in
                let nics = vm.nics.map { nic in
                    "\(nic.network ?? nic.bridge ?? nic.type)=\(nic.mac ?? "?")"
                }
                return [vm.name, vm.state, vm.persistent ? "yes" : "no", nics.isEmpty ? "-" : nics.joined(separator: ",")]
            }
        ).rendered
    }
}
