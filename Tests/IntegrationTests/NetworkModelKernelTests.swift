import Foundation
import Testing
import TestSupport

/// After define + start, each model is in the kernel, dnsmasq and the firewall as the model says:
/// read from sysfs, `ip -j`, libvirt's dnsmasq files and `iptables-save`, never from vnetctl.
/// Networks come from `LabNetwork.make` (vnetctl; `VNT_LAB_BACKEND=virsh` for libvirt directly).
@Suite(.onTestThreads, .serialized) struct NetworkModelKernelTests {
    /// A random locally administered QEMU MAC, for reservations.
    static func randomMAC() -> String {
        "52:54:00:" + (0..<3).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":")
    }

    @Test(arguments: [LabModel.isolated, .routed, .nat])
    func bridgeDnsmasqAndFirewall(model: LabModel) throws {
        let octet = try TestSubnets.freeThirdOctet()
        let reservations = [
            LabReservation(mac: Self.randomMAC(), ip: "10.123.\(octet).10", hostname: "vnt-guest-a"),
            LabReservation(mac: Self.randomMAC(), ip: "10.123.\(octet).11"),
        ]
        let network = try LabNetwork.make(model: model, octet: octet, hosts: reservations)
        defer { network.remove() }
        let bridgeName = try #require(network.bridge)
        let subnet = "10.123.\(octet).0/24"

        // The bridge, with STP off and forward delay 0, and the host on the first address.
        let bridge = KernelBridge(bridgeName)
        #expect(bridge.exists)
        #expect(bridge.stpState == 0)
        #expect(bridge.forwardDelay == 0)
        #expect(try bridge.ipv4Addresses() == ["10.123.\(octet).1/24"])

        // dnsmasq for this network, with the default range and the reservations.
        let dnsmasq = NetworkDnsmasq(network: network.name)
        #expect(dnsmasq.isRunning, "pid \(String(describing: dnsmasq.pid)), cmdline \(String(describing: dnsmasq.commandLine))")
        #expect(dnsmasq.configValues("interface") == [bridgeName])
        let ranges = dnsmasq.dhcpRanges()
        #expect(ranges.count == 1)
        #expect(ranges.first?.first == "10.123.\(octet).2")
        #expect(ranges.first?.last == "10.123.\(octet).254")
        #expect(Set(dnsmasq.hostsfileLines()) == Set(reservations.map(\.argument)))

        // The firewall, per model.
        let rules = try FirewallRules.current()
        let masquerade = rules.masqueradeRules(forSubnet: subnet)
        let subnetAccepts = rules.subnetForwardAccepts(subnet: subnet, bridge: bridgeName)
        let rejects = rules.forwardRejects(bridge: bridgeName)
        #expect(!rules.inputRules(bridge: bridgeName).filter { $0.value(of: "--dport") == "67" }.isEmpty,
            "guests must be let in to DHCP")
        // Whatever the model, forwarding that no ACCEPT matched ends in REJECT, both ways.
        #expect(rejects.contains { $0.value(of: "-i") == bridgeName && $0.value(of: "-o") == nil })
        #expect(rejects.contains { $0.value(of: "-o") == bridgeName && $0.value(of: "-i") == nil })
        switch model {
        case .nat:
            #expect(!masquerade.isEmpty)
            // Masquerade only what leaves the subnet: never guest-to-guest or guest-to-host.
            #expect(masquerade.allSatisfy { $0.negatedValue(of: "-d") == subnet })
            #expect(rules.natRules(forSubnet: subnet).allSatisfy { $0.value(of: "-s") == subnet })
            let outbound = subnetAccepts.filter { $0.value(of: "-i") == bridgeName }
            let inbound = subnetAccepts.filter { $0.value(of: "-o") == bridgeName }
            #expect(outbound.count == 1)
            #expect(inbound.count == 1)
            #expect(inbound.allSatisfy { $0.mentions("RELATED,ESTABLISHED") }, "only replies may come in: \(inbound)")
        case .routed:
            #expect(masquerade.isEmpty, "\(masquerade)")
            #expect(rules.natRules(forSubnet: subnet).isEmpty)
            let inbound = subnetAccepts.filter { $0.value(of: "-o") == bridgeName }
            #expect(subnetAccepts.filter { $0.value(of: "-i") == bridgeName }.count == 1)
            #expect(inbound.count == 1)
            #expect(inbound.allSatisfy { !$0.mentions("--ctstate") }, "routed lets new connections in: \(inbound)")
        case .isolated:
            #expect(masquerade.isEmpty, "\(masquerade)")
            #expect(rules.natRules(forSubnet: subnet).isEmpty)
            #expect(subnetAccepts.isEmpty, "\(subnetAccepts)")
            // The one ACCEPT is bridge-to-itself (guest to guest).
            #expect(rules.forwardAccepts(bridge: bridgeName).allSatisfy {
                $0.value(of: "-i") == bridgeName && $0.value(of: "-o") == bridgeName
            })
            #expect(!rules.rules(mentioning: subnet).contains { $0.table == "filter" })
        default:
            Issue.record("unexpected model \(model)")
        }
    }

    @Test func customDHCPRangeReachesDnsmasq() throws {
        let octet = try TestSubnets.freeThirdOctet()
        let network = try LabNetwork.make(model: .isolated, octet: octet, dhcpRange: "10.123.\(octet).100-10.123.\(octet).150")
        defer { network.remove() }
        let ranges = NetworkDnsmasq(network: network.name).dhcpRanges()
        #expect(ranges.map(\.first) == ["10.123.\(octet).100"])
        #expect(ranges.map(\.last) == ["10.123.\(octet).150"])
        #expect(NetworkDnsmasq(network: network.name).hostsfileLines().isEmpty)
    }

    @Test func noDHCPMeansNoDHCPRange() throws {
        let network = try LabNetwork.make(model: .nat, dhcp: false)
        defer { network.remove() }
        #expect(KernelBridge(try #require(network.bridge)).exists)
        // libvirt still runs dnsmasq for DNS, but it hands out no addresses.
        #expect(NetworkDnsmasq(network: network.name).dhcpRanges().isEmpty)
        #expect(!(try FirewallRules.current().masqueradeRules(forSubnet: try #require(network.subnet)).isEmpty))
    }

    @Test func openModelGetsNoFirewallRules() throws {
        let network = try LabNetwork.make(model: .open)
        defer { network.remove() }
        let bridgeName = try #require(network.bridge)
        #expect(KernelBridge(bridgeName).exists)
        #expect(try KernelBridge(bridgeName).ipv4Addresses() == [try #require(network.gateway) + "/24"])
        let rules = try FirewallRules.current()
        #expect(rules.forwardRules(mentioning: bridgeName).isEmpty)
        let natRules = rules.natRules(forSubnet: try #require(network.subnet))
        let gateway = try #require(network.gateway)
        #expect(natRules.isEmpty, "\(natRules); networks: \(Self.networksMentioning(gateway))")
    }

    /// The libvirt networks whose XML (live, else saved) contains `text`, for failure messages.
    static func networksMentioning(_ text: String) -> [String] {
        ((try? Virsh.networkNames(all: true)) ?? []).sorted().filter { name in
            ((try? Virsh.output(["net-dumpxml", name])) ?? "").contains(text)
        }
    }

    @Test(arguments: [LabModel.isolated, .nat])
    func stoppingRemovesBridgeDnsmasqAndRules(model: LabModel) throws {
        let network = try LabNetwork.make(model: model)
        defer { network.remove() }
        let bridgeName = try #require(network.bridge)
        let dnsmasq = NetworkDnsmasq(network: network.name)
        let pid = try #require(dnsmasq.pid)
        #expect(dnsmasq.isRunning)
        try Virsh.output(["net-destroy", network.name])
        #expect(!KernelBridge(bridgeName).exists)
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)/cmdline")
            || !(String(decoding: FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data(), as: UTF8.self)
                .contains(network.name)))
        #expect(try FirewallRules.current().rules(mentioning: bridgeName).isEmpty)
    }
}
