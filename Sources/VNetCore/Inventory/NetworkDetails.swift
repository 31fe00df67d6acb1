import Foundation
import HostNet
import Libvirt
import LibXML

/// Everything `vnetctl show network` tells about one network: its summary, DHCP, leases, the VMs
/// on it and, for a routed network, the route the upstream router needs.
public struct NetworkDetails: Sendable, Codable, Equatable {
    /// A fixed DHCP reservation from the network's XML.
    public struct Reservation: Sendable, Codable, Equatable {
        public var mac: String
        public var ip: String
        public var hostname: String?
    }

    /// A current DHCP lease, as dnsmasq handed it out.
    public struct Lease: Sendable, Codable, Equatable {
        public var mac: String
        public var address: String
        public var hostname: String?
        public var expiry: Date
    }

    /// A VM with a NIC on the network.
    public struct AttachedVM: Sendable, Codable, Equatable {
        public var name: String
        public var state: String
        public var macs: [String]
    }

    public var summary: NetworkSummary
    /// vnetctl's metadata: the template the network was rendered from, when vnetctl defined it.
    public var template: String?
    public var dhcpRange: String?
    public var reservations: [Reservation]
    public var leases: [Lease]
    public var vms: [AttachedVM]
    /// For a routed network: the route the upstream router needs to reach the guests.
    public var upstreamRoute: String?

    public init(_ network: Network, on connection: Connection) throws {
        let summary = try NetworkSummary(network)
        self.summary = summary
        let document = try XMLDocument(string: try network.xml(), source: "network \(network.name)")
        template = try document.string("string(\(VNetMetadata.networkXPath)/@template)").flatMap { $0.isEmpty ? nil : $0 }
        if let range = try document.firstElement("/network/ip/dhcp/range"),
            let start = range.attribute("start"), let end = range.attribute("end")
        {
            dhcpRange = "\(start)-\(end)"
        }
        reservations = try document.elements("/network/ip/dhcp/host").compactMap { host in
            guard let mac = host.attribute("mac"), let ip = host.attribute("ip") else { return nil }
            return Reservation(mac: mac, ip: ip, hostname: host.attribute("name"))
        }
        // Leases exist only while the network runs, and not on every driver.
        let current = summary.active ? ((try? network.dhcpLeases()) ?? []) : []
        leases = current.map { Lease(mac: $0.mac, address: "\($0.address)/\($0.prefix)", hostname: $0.hostname, expiry: $0.expiry) }
        vms = try ObjectScan.domains(on: connection) { domain -> AttachedVM? in
            let vm = try DomainSummary(domain)
            let macs = vm.nics.filter { $0.network == network.name || ($0.bridge != nil && $0.bridge == summary.bridge) }
                .compactMap(\.mac)
            return macs.isEmpty ? nil : AttachedVM(name: vm.name, state: vm.state, macs: macs)
        }.compactMap { $0 }.sorted { $0.name < $1.name }
        upstreamRoute = summary.model == .routed
            ? try Self.upstreamRoute(subnets: summary.addresses, uplink: document.string("/network/forward/@dev"))
            : nil
    }

    /// `ip route add SUBNET via HOSTADDRESS`, with the host's address on the uplink (or on the
    /// interface of its default route when the network names no uplink).
    static func upstreamRoute(subnets: [String], uplink: String?) throws -> String? {
        guard let subnet = subnets.first(where: { !$0.contains(":") }),
            let cidr = try? IPv4CIDR.enclosing(subnet)
        else { return nil }
        let device = try uplink ?? HostNetwork.routes().first { $0.family == .ipv4 && $0.isDefault }?.linkName
        let address = try HostNetwork.addresses().first { $0.family == .ipv4 && $0.linkName == device }?.address
        return "ip route add \(cidr) via \(address ?? "<this host's address>")"
    }
}
