import ArgumentParser
import Foundation
import VNetCore

/// `vnetctl show network NAME`: model, bridge, addresses, DHCP, leases, VMs, and the upstream route.
struct ShowNetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "Show a network: model, addresses, DHCP, leases and VMs.")

    @Argument(help: "The network's name.", completion: Completions.networks)
    var name: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let connection = try global.connection(readOnly: true)
        let details = try NetworkDetails(try LibvirtLookup.network(named: name, on: connection), on: connection)
        Output.emit(details, json: global.json) { Self.text(details) }
    }

    static func text(_ details: NetworkDetails) -> String {
        let summary = details.summary
        var lines = [
            "network:    \(summary.name)\(summary.managed ? "" : " (not defined by vnetctl)")",
            "model:      \(summary.model?.rawValue ?? summary.forwardMode ?? "-")",
            "state:      \(summary.active ? "active" : "inactive"), autostart \(summary.autostart ? "on" : "off")",
            "bridge:     \(summary.bridge ?? "-")",
            "addresses:  \(summary.addresses.isEmpty ? "-" : summary.addresses.joined(separator: ", "))",
            "dhcp:       \(details.dhcpRange ?? "-")",
        ]
        if let template = details.template { lines.append("template:   \(template)") }
        for reservation in details.reservations {
            lines.append("reserved:   \(reservation.mac) \(reservation.ip)\(reservation.hostname.map { " \($0)" } ?? "")")
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
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a network or VM in detail.", subcommands: [ShowNetworkCommand.self, ShowVMCommand.self])
}
