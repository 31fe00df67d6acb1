import Foundation
import Libvirt
import Testing
import TestSupport

/// The bindings against the real daemon, proven through the kernel, dnsmasq's files and virsh.
@Suite(.onTestThreads) struct NetworkBindingTests {
    let connection: Connection

    init() throws {
        connection = try Connection(uri: "qemu:///system")
    }

    /// Defines and starts an isolated network on a free 10.123.X.0/24, runs `body`, then removes it.
    private func withNetwork(_ body: (Network, _ name: String, _ bridge: String, _ octet: Int) throws -> Void) throws {
        let name = TestNames.unique("net")
        let bridge = "vb" + name.suffix(6)
        let octet = try TestSubnets.freeThirdOctet()
        let xml = """
            <network>
              <name>\(name)</name>
              <bridge name='\(bridge)' stp='off' delay='0'/>
              <ip address='10.123.\(octet).1' prefix='24'>
                <dhcp><range start='10.123.\(octet).100' end='10.123.\(octet).200'/></dhcp>
              </ip>
            </network>
            """
        let network = try connection.defineNetwork(xml: xml)
        defer {
            try? network.stop()
            try? network.undefine()
        }
        try network.start()
        try body(network, name, bridge, octet)
    }

    @Test func startedNetworkIsInTheKernelDnsmasqAndVirsh() throws {
        try withNetwork { network, name, bridge, octet in
            let links = try JSONSerialization.jsonObject(
                with: Data(try Command.output(["ip", "-j", "-d", "link", "show", "dev", bridge]).utf8)) as? [[String: Any]]
            let link = try #require(links?.first)
            #expect(link["ifname"] as? String == bridge)
            #expect((link["linkinfo"] as? [String: Any])?["info_kind"] as? String == "bridge")
            #expect(try Command.output(["ip", "-4", "-o", "addr", "show", "dev", bridge]).contains("10.123.\(octet).1/24"))
            #expect(try network.bridgeName == bridge)

            let pid = try String(contentsOfFile: "/run/libvirt/network/\(name).pid", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let commandLine = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
            #expect(commandLine.contains("dnsmasq"))
            #expect(commandLine.contains("/var/lib/libvirt/dnsmasq/\(name).conf"))

            let virshNames = try Command.output(["virsh", "-c", "qemu:///system", "net-list", "--name"])
            #expect(virshNames.split(separator: "\n").contains(Substring(name)))
            let virshXML = try Command.output(["virsh", "-c", "qemu:///system", "net-dumpxml", name])
            #expect(virshXML.trimmingCharacters(in: .whitespacesAndNewlines)
                == (try network.xml()).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test func dhcpHostUpdateReachesLiveAndSavedConfigAndDnsmasq() throws {
        try withNetwork { network, name, _, octet in
            let host = "<host mac='52:54:00:7b:00:\(String(octet, radix: 16))' name='vnt-host' ip='10.123.\(octet).10'/>"
            try network.update(.add, .ipDHCPHost, xml: host, flags: [.live, .config])
            let mac = "52:54:00:7b:00:\(String(octet, radix: 16))"
            #expect(try network.xml().contains(mac))
            #expect(try network.xml(inactive: true).contains(mac))
            let hostsFile = try String(contentsOfFile: "/var/lib/libvirt/dnsmasq/\(name).hostsfile", encoding: .utf8)
            #expect(hostsFile.contains("\(mac),10.123.\(octet).10,vnt-host"), "hostsfile: \(hostsFile)")

            try network.update(.delete, .ipDHCPHost, xml: host, flags: [.live, .config])
            #expect(try !network.xml().contains(mac))
            #expect(try !network.xml(inactive: true).contains(mac))
        }
    }

    @Test func domainDefinedThroughBindingsIsSeenByVirsh() throws {
        let name = TestNames.unique("vm")
        let xml = """
            <domain type='qemu'>
              <name>\(name)</name>
              <memory unit='MiB'>64</memory>
              <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='network'/></os>
            </domain>
            """
        let domain = try connection.defineDomain(xml: xml)
        defer { try? domain.undefine() }
        #expect(try connection.domain(named: name).name == name)
        #expect(try domain.state == .shutoff)
        let virshNames = try Command.output(["virsh", "-c", "qemu:///system", "list", "--all", "--name"])
        #expect(virshNames.split(separator: "\n").contains(Substring(name)))
        try domain.undefine()
        #expect(throws: LibvirtError.self) { try connection.domain(named: name) }
    }
}
