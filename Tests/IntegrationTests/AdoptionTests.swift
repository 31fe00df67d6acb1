import Foundation
import Testing
import TestSupport

/// Networks and VMs made with `virsh` from ordinary XML, in each form libvirt allows: a topology
/// file that describes such a network exactly is *unchanged* for `apply --check`, and `apply`
/// writes nothing (seen through virsh, dnsmasq and libvirt's call counter); `show` and `list`
/// report every fact of them.
struct AdoptionTests {
    /// One form: the network's XML for `virsh net-define` and the topology entry that describes it.
    struct Form: Sendable, CustomTestStringConvertible {
        var label: String
        /// XML with NAME, BRIDGE, OCTET and LINK (one end of a veth pair the test makes) to fill in.
        var xml: String
        var yaml: String
        var testDescription: String { label }
    }

    static let forms: [Form] = [
        Form(
            label: "prefix",
            xml: "<network><name>NAME</name><bridge name='BRIDGE' stp='off' delay='0'/>"
                + "<ip address='10.123.OCTET.1' prefix='24'><dhcp><range start='10.123.OCTET.100' end='10.123.OCTET.200'/></dhcp></ip></network>",
            yaml: "model: isolated\n    subnet: 10.123.OCTET.0/24\n    bridge: BRIDGE\n    dhcp: { range: 10.123.OCTET.100-10.123.OCTET.200 }"),
        Form(
            label: "netmask, as libvirt's default network",
            xml: "<network><name>NAME</name><forward mode='nat'><nat><port start='1024' end='65535'/></nat></forward>"
                + "<bridge name='BRIDGE' stp='off' delay='0'/><ip address='10.123.OCTET.1' netmask='255.255.255.0'>"
                + "<dhcp><range start='10.123.OCTET.2' end='10.123.OCTET.254'/></dhcp></ip></network>",
            yaml: "model: nat\n    subnet: 10.123.OCTET.0/24\n    bridge: BRIDGE\n    dhcp: { range: 10.123.OCTET.2-10.123.OCTET.254 }"),
        Form(
            label: "forward dev and forward interface dev",
            xml: "<network><name>NAME</name><forward mode='route' dev='LINK'><interface dev='LINK'/></forward>"
                + "<bridge name='BRIDGE' stp='off' delay='0'/><ip address='10.123.OCTET.1' prefix='24'>"
                + "<dhcp><range start='10.123.OCTET.100' end='10.123.OCTET.200'/></dhcp></ip></network>",
            yaml: "model: routed\n    subnet: 10.123.OCTET.0/24\n    bridge: BRIDGE\n    uplink: LINK\n"
                + "    dhcp: { range: 10.123.OCTET.100-10.123.OCTET.200 }"),
        Form(
            label: "DHCP host with an FQDN",
            xml: "<network><name>NAME</name><bridge name='BRIDGE' stp='off' delay='0'/>"
                + "<dns><host ip='10.123.OCTET.20'><hostname>a.example.com</hostname></host></dns>"
                + "<ip address='10.123.OCTET.1' prefix='24'><dhcp><range start='10.123.OCTET.100' end='10.123.OCTET.200'/>"
                + "<host mac='52:54:00:7e:OCTETHEX:01' name='a.example.com' ip='10.123.OCTET.20'/></dhcp></ip></network>",
            yaml: "model: isolated\n    subnet: 10.123.OCTET.0/24\n    bridge: BRIDGE\n    dhcp:\n      range: 10.123.OCTET.100-10.123.OCTET.200\n"
                + "      hosts: [{ mac: '52:54:00:7e:OCTETHEX:01', ip: 10.123.OCTET.20, hostname: a.example.com }]"),
        Form(
            label: "open",
            xml: "<network><name>NAME</name><forward mode='open'/><bridge name='BRIDGE' stp='off' delay='0'/>"
                + "<ip address='10.123.OCTET.1' prefix='24'><dhcp><range start='10.123.OCTET.100' end='10.123.OCTET.200'/></dhcp></ip></network>",
            yaml: "model: open\n    subnet: 10.123.OCTET.0/24\n    bridge: BRIDGE\n    dhcp: { range: 10.123.OCTET.100-10.123.OCTET.200 }"),
        Form(
            label: "bridged on a host bridge",
            xml: "<network><name>NAME</name><forward mode='bridge'/><bridge name='HOSTBRIDGE'/></network>",
            yaml: "model: bridged\n    bridge: HOSTBRIDGE"),
        Form(
            label: "bridged by macvtap",
            xml: "<network><name>NAME</name><forward mode='bridge'><interface dev='LINK'/></forward></network>",
            yaml: "model: bridged\n    uplink: LINK"),
    ]

    /// The calls that change libvirt; none may appear in a no-op apply.
    static let writingCalls = [
        "virNetworkDefineXML", "virNetworkCreate", "virNetworkUpdate", "virNetworkSetAutostart", "virNetworkUndefine",
        "virNetworkDestroy", "virDomainDefineXMLFlags", "virDomainCreate", "virDomainUndefine",
    ]

    @Test(arguments: forms)
    func aVirshMadeNetworkDescribedByTheFileIsUnchanged(form: Form) throws {
        let name = TestNames.unique("ad"), octet = try TestSubnets.freeThirdOctet()
        let id = NetObjectNames.id()
        let bridge = NetObjectNames.interface(id, "v"), link = NetObjectNames.interface(id, "d")
        let hostBridge = try TestBridge()
        defer { hostBridge.remove() }
        // This kernel has no dummy links; one end of a veth pair is an uplink as good.
        try Command.output(["ip", "link", "add", link, "type", "veth", "peer", "name", NetObjectNames.interface(id, "p")])
        defer { _ = try? Command.run(["ip", "link", "del", link]) }
        try Command.output(["ip", "link", "set", link, "up"])
        func filled(_ text: String) -> String {
            text.replacingOccurrences(of: "OCTETHEX", with: String(format: "%02x", octet))
                .replacingOccurrences(of: "OCTET", with: String(octet)).replacingOccurrences(of: "HOSTBRIDGE", with: hostBridge.name)
                .replacingOccurrences(of: "NAME", with: name).replacingOccurrences(of: "BRIDGE", with: bridge)
                .replacingOccurrences(of: "LINK", with: link)
        }
        defer { Virsh.destroyAndUndefine(name) }
        try Virsh.defineAndStart(xml: filled(form.xml), name: name)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).yaml").path
        try "name: \(name)\nnetworks:\n  - name: \(name)\n    \(filled(form.yaml))\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }

        let check = try VNetCtlBinary.run(["apply", "-f", file, "--check"])
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout.contains("network \(name): unchanged"), "\(form.label): \(check.stdout)")

        let before = try TopologySnapshot.capture(networks: [name], domains: [])
        let apply = try VNetCtlBinary.run(["apply", "-f", file], environment: ["VNETCTL_DEBUG_ROUNDTRIPS": "1"])
        let after = try TopologySnapshot.capture(networks: [name], domains: [])
        #expect(apply.status == 0, "\(apply)")
        #expect(apply.stdout.contains("0 changed"), "\(apply.stdout)")
        #expect(before.differences(to: after) == [], "\(form.label)")
        let counted = try #require(apply.stderr.split(separator: "\n").last { $0.hasPrefix("libvirt round trips:") }, "\(apply)")
        for call in Self.writingCalls { #expect(!counted.contains(call), "\(form.label): \(counted)") }
        #expect(counted.hasSuffix("XML fetched more than once: none"), "\(counted)")
    }

    // MARK: - show and list report every fact of virsh-made objects

    private func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try VNetCtlBinary.run(["--json"] + arguments)
        try #require(result.status == 0, "\(result)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    }

    @Test func showNetworkReportsNetmaskPrefixDHCPv6HostsAndTheNetworksMAC() throws {
        let name = TestNames.unique("ad6"), octet = try TestSubnets.freeThirdOctet()
        let xml = """
            <network><name>\(name)</name><bridge name='\(NetObjectNames.interface(NetObjectNames.id(), "v"))' stp='off' delay='0'/>
              <mac address='52:54:00:7f:\(String(format: "%02x", octet)):01'/>
              <ip address='10.123.\(octet).1' netmask='255.255.255.0'><dhcp><range start='10.123.\(octet).10' end='10.123.\(octet).20'/>
                <host mac='52:54:00:7f:\(String(format: "%02x", octet)):02' name='four.lab.example' ip='10.123.\(octet).11'/></dhcp></ip>
              <ip family='ipv6' address='fd00:123:\(octet)::1' prefix='64'><dhcp><range start='fd00:123:\(octet)::100' end='fd00:123:\(octet)::1ff'/>
                <host id='0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63' name='v6a' ip='fd00:123:\(octet)::10'/>
                <host name='v6b' ip='fd00:123:\(octet)::11'/></dhcp></ip></network>
            """
        defer { Virsh.destroyAndUndefine(name) }
        try Virsh.defineAndStart(xml: xml, name: name, start: false)

        let details = try json(["show", "network", name])
        let summary = try #require(details["summary"] as? [String: Any])
        #expect(summary["model"] as? String == "isolated")
        #expect(summary["addresses"] as? [String] == ["10.123.\(octet).1/24", "fd00:123:\(octet)::1/64"])
        #expect(details["dhcpRanges"] as? [[String: String]] == [
            ["start": "10.123.\(octet).10", "end": "10.123.\(octet).20"],
            ["start": "fd00:123:\(octet)::100", "end": "fd00:123:\(octet)::1ff"],
        ])
        let reservations = try #require(details["reservations"] as? [[String: Any]])
        #expect(reservations.compactMap { $0["hostname"] as? String } == ["four.lab.example", "v6a", "v6b"])
        #expect(reservations.contains { $0["id"] as? String == "0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63" })
        let config = try #require(details["config"] as? [String: Any])
        #expect(config["mac"] as? String == "52:54:00:7f:\(String(format: "%02x", octet)):01")

        let text = try VNetCtlBinary.run(["show", "network", name])
        #expect(text.stdout.contains("id 0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63 fd00:123:\(octet)::10 v6a"), "\(text.stdout)")
        #expect(text.stdout.contains("10.123.\(octet).1/24"), "\(text.stdout)")
    }

    /// Forward modes outside vnetctl's models are shown by libvirt's name, in text and --json.
    @Test(arguments: [
        ("vepa", "<forward mode='vepa'><interface dev='LINK'/></forward>"),
        ("private", "<forward mode='private'><interface dev='LINK'/></forward>"),
        ("passthrough", "<forward mode='passthrough'><interface dev='LINK'/></forward>"),
        ("hostdev", "<forward mode='hostdev' managed='yes'><pf dev='LINK'/></forward>"),
    ])
    func otherForwardModesAreShownByLibvirtsName(mode: String, forward: String) throws {
        let name = TestNames.unique("adm"), link = NetObjectNames.interface(NetObjectNames.id(), "d")
        // Never started: the uplink need not exist.
        defer { Virsh.destroyAndUndefine(name) }
        try Virsh.defineAndStart(
            xml: "<network><name>\(name)</name>\(forward.replacingOccurrences(of: "LINK", with: link))</network>", name: name, start: false)
        let summary = try #require(try json(["show", "network", name])["summary"] as? [String: Any])
        #expect(summary["model"] as? String == mode)
        let listed = try #require((try json(["list", "networks"])["networks"] as? [[String: Any]])?.first { $0["name"] as? String == name })
        #expect(listed["model"] as? String == mode)
        #expect(try VNetCtlBinary.run(["show", "network", name]).stdout.contains("model:      \(mode)"))
    }

    /// A virsh-made VM with NICs of many kinds: `show vm` and `list vms` give each NIC's kind,
    /// source, MAC, model and tap in one shape, and a teaming pair is no duplicate MAC.
    @Test func showAndListGiveEveryNICOfAVirshMadeVM() throws {
        let name = TestNames.unique("adv"), network = TestNames.unique("adn"), octet = try TestSubnets.freeThirdOctet()
        let hex = String(format: "%02x", octet)
        let bridge = try TestBridge()
        defer { bridge.remove() }
        defer { Virsh.destroyAndUndefine(network) }
        try Virsh.defineAndStart(
            xml: "<network><name>\(network)</name><ip address='10.123.\(octet).1' prefix='24'/></network>", name: network, start: false)
        let xml = """
            <domain type='qemu'><name>\(name)</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os><devices>
              <interface type='network'><mac address='52:54:00:7d:\(hex):01'/><source network='\(network)'/><model type='virtio'/>
                <teaming type='persistent'/><alias name='ua-backup0'/></interface>
              <interface type='hostdev' managed='yes'><mac address='52:54:00:7d:\(hex):01'/>
                <source><address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x7'/></source>
                <teaming type='transient' persistent='ua-backup0'/></interface>
              <interface type='bridge'><mac address='52:54:00:7d:\(hex):02'/><source bridge='\(bridge.name)'/><model type='e1000e'/></interface>
              <interface type='direct'><mac address='52:54:00:7d:\(hex):03'/><source dev='\(bridge.name)' mode='vepa'/></interface>
              <interface type='user'><mac address='52:54:00:7d:\(hex):04'/><model type='rtl8139'/></interface>
              <interface type='ethernet'><mac address='52:54:00:7d:\(hex):05'/><target dev='vnt\(hex)tap' managed='no'/></interface>
              <interface type='mcast'><mac address='52:54:00:7d:\(hex):06'/><source address='230.0.0.1' port='5558'/></interface>
            </devices></domain>
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).xml").path
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        defer { _ = try? Virsh.run(["undefine", name]) }
        try Virsh.output(["define", file])

        let shown = try #require(try json(["show", "vm", name])["nics"] as? [[String: Any]])
        #expect(shown.map { $0["kind"] as? String } == ["network", "hostdev", "bridge", "direct", "user", "ethernet", "mcast"])
        #expect(shown.map { $0["mac"] as? String } == [1, 1, 2, 3, 4, 5, 6].map { "52:54:00:7d:\(hex):0\($0)" })
        // Models given in the XML; libvirt adds its default (rtl8139) to the NICs that name none but take one.
        #expect([0, 1, 2, 4].map { shown[$0]["model"] as? String } == ["virtio", nil, "e1000e", "rtl8139"])
        let sources = shown.map { $0["source"] as? [String: Any] ?? [:] }
        #expect(sources[0]["network"] as? String == network)
        #expect(sources[1]["pci"] as? String == "0000:00:1f.7")
        #expect(sources[2]["bridge"] as? String == bridge.name)
        #expect(sources[3]["dev"] as? String == bridge.name && sources[3]["mode"] as? String == "vepa")
        #expect(sources[6]["address"] as? String == "230.0.0.1" && sources[6]["port"] as? String == "5558")
        #expect(shown[5]["tap"] as? String == "vnt\(hex)tap")

        let listed = try #require((try json(["list", "vms"])["vms"] as? [[String: Any]])?.first { $0["name"] as? String == name })
        let listedNICs = try #require(listed["nics"] as? [[String: Any]])
        #expect(listedNICs.count == shown.count)
        for (a, b) in zip(listedNICs, shown) {
            #expect(NSDictionary(dictionary: a).isEqual(to: b), "list vms and show vm differ: \(a) vs \(b)")
        }

        let text = try VNetCtlBinary.run(["show", "vm", name]).stdout
        #expect(text.contains("bridge bridge \(bridge.name)"), "\(text)")
        #expect(text.contains("direct dev \(bridge.name) (vepa)"), "\(text)")
        #expect(text.contains("user -, model rtl8139"), "\(text)")

        let macs = try VNetCtlBinary.run(["--json", "macs", "--check"])
        #expect(!macs.stdout.contains("52:54:00:7d:\(hex):01"), "a teaming pair is reported as a duplicate: \(macs.stdout)")
    }
}
