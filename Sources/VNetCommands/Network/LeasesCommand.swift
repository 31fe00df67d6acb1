import ArgumentParser
import FoundationEssentials
import Libvirt
import VNetCore

/// `vnetctl leases NETWORK`: the DHCP leases dnsmasq has handed out on a running network.
struct LeasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases", abstract: "List the current DHCP leases of a network.")

    @Argument(help: "The network's name.", completion: Completions.networks)
    var network: String

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let connection = try global.connection(readOnly: true)
        let found = try LibvirtLookup.network(named: network, on: connection)
        // Leases exist only while the network runs, and not on every driver.
        let leases = ((try? found.isActive) == true ? ((try? found.dhcpLeases()) ?? []) : []).map(NetworkDetails.Lease.init)
        Output.emit(leases, key: "leases", json: global.json) {
            Table(
                headers: ["MAC", "ADDRESS", "HOSTNAME", "EXPIRES"],
                rows: leases.map { [$0.mac, $0.address, $0.hostname ?? "-", $0.expiry.formatted(.iso8601)] }
            ).rendered
        }
    }
}
