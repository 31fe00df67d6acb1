import Foundation
import Testing
import TestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Every NIC kind on `qemu:///system` without a guest: vnetctl's `--network` syntax, virt-install's,
/// a topology file and the Ansible module define the same interfaces (as virsh dumps them), a second
/// apply changes nothing, a changed model or macvtap mode is seen, and each bad NIC spec exits 2 in
/// one line with libvirt unchanged.
@Suite(.onTestThreads, .serialized)
struct NICKindDefineTests {
    static func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
    }

    /// A test network, bridge and veth pair, and a directory for files; removed by `remove()`.
    final class Fixture {
        let network: LabNetwork
        let bridge: TestBridge
        let veth: TestVeth
        let directory: URL

        init() throws {
            network = try LabNetwork.make(model: .nat)
            do {
                bridge = try TestBridge()
                veth = try TestVeth()
            } catch {
                network.remove()
                throw error
            }
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-nic-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        func write(_ text: String, _ name: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func remove() {
            veth.remove()
            bridge.remove()
            network.remove()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// The `<interface>` elements of domain XML as comparable text: type, source attributes, model, MAC.
    static func interfaces(_ xml: String) throws -> [String] {
        let document = try XMLDocument(xmlString: xml)
        return try document.nodes(forXPath: "/domain/devices/interface").compactMap { node in
            guard let element = node as? XMLElement else { return nil }
            let source = element.elements(forName: "source").first
            let attributes = (source?.attributes ?? []).compactMap { attribute in
                attribute.name.map { "\($0)=\(attribute.stringValue ?? "")" }
            }.sorted()
            let ip = element.elements(forName: "ip").first.map { "ip=\($0.attribute(forName: "address")?.stringValue ?? "")" }
            let model = element.elements(forName: "model").first?.attribute(forName: "type")?.stringValue ?? "-"
            let mac = element.elements(forName: "mac").first?.attribute(forName: "address")?.stringValue?.lowercased() ?? "-"
            let type = element.attribute(forName: "type")?.stringValue ?? "-"
            return ([type] + attributes + (ip.map { [$0] } ?? []) + ["model=\(model)", "mac=\(mac)"]).joined(separator: " ")
        }
    }

    @Test func everySyntaxDefinesTheSameInterfacesAndASecondApplyChangesNothing() throws {
        let fixture = try Fixture()
        let name = TestNames.unique("nick")
        let cleanup = VMCleanup()
        cleanup.track(name)
        defer {
            cleanup.removeAll()
            fixture.remove()
        }
        let (net, bridge, device) = (fixture.network.name, fixture.bridge.name, fixture.veth.name)
        let ip = try #require(fixture.network.address(40))

        let native = [
            "\(net),ip=\(ip),model=e1000e", "bridge=\(bridge)", "type=direct,source=\(device),source_mode=vepa", "user",
            "user,net=10.0.3.0/24",
        ]
        let virtInstall = [
            "network=\(net),ip=\(ip),model.type=e1000e", "type=bridge,source=\(bridge),model=virtio",
            "type=direct,source=\(device),source.mode=vepa", "type=user", "type=user,net=10.0.3.0/24",
        ]
        var xmls: [String] = []
        for spellings in [native, virtInstall] {
            let result = try Self.vnetctl(
                ["define", "vm", name, "--set", "virtType=qemu", "--dry-run"] + spellings.flatMap { ["--network", $0] })
            try #require(result.status == 0, "\(result)")
            xmls.append(result.stdout)
        }
        #expect(xmls[0] == xmls[1], "vnetctl's and virt-install's syntax rendered different XML")
        let rendered = try Self.interfaces(xmls[0])
        #expect(rendered.count == 5)
        #expect(rendered.first?.hasPrefix("network network=\(net) model=e1000e") == true, "\(rendered)")
        #expect(rendered.contains { $0.hasPrefix("direct dev=\(device) mode=vepa model=virtio") }, "\(rendered)")
        #expect(rendered.contains { $0.hasPrefix("user ip=10.0.3.0 model=virtio") }, "\(rendered)")

        // The topology file's spelling, applied for real: libvirt saved the same interfaces.
        let topology = { (mode: String, model: String) in
            """
            vms:
              - name: \(name)
                set: { virtType: qemu }
                start: false
                nics:
                  - { network: \(net), ip: \(ip), model: \(model) }
                  - { bridge: \(bridge) }
                  - { direct: \(device), mode: \(mode) }
                  - { user: true }
                  - { user: true, net: 10.0.3.0/24 }

            """
        }
        let file = try fixture.write(topology("vepa", "e1000e"), "nics.yaml")
        let applied = try Self.vnetctl(["apply", "-f", file])
        try #require(applied.status == 0, "\(applied)")
        #expect(try Self.interfaces(VirshDomains.xml(name, inactive: true)) == rendered)
        #expect(try VMNetworkXML.read(net).dhcpHosts.contains { $0.ip == ip })

        let again = try Self.vnetctl(["apply", "-f", file])
        #expect(again.status == 0, "\(again)")
        #expect(TopologyLab.summaryLine(again.stdout).hasPrefix("0 changed"), "\(again.stdout)")

        // The Ansible module reads the same topology (inline, as JSON) and finds nothing to change.
        let arguments: [String: Any] = [
            "uri": Virsh.uri,
            "topology": [
                "vms": [[
                    "name": name, "set": ["virtType": "qemu"], "start": false,
                    "nics": [
                        ["network": net, "ip": ip, "model": "e1000e"], ["bridge": bridge], ["direct": device, "mode": "vepa"],
                        ["user": true], ["user": true, "net": "10.0.3.0/24"],
                    ],
                ]]
            ],
        ]
        let argumentsFile = try fixture.write(
            String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self), "args.json")
        let module = try VNetCtlBinary.run([argumentsFile])
        #expect(module.status == 0, "\(module)")
        let result = try JSONSerialization.jsonObject(with: Data(module.stdout.utf8)) as? [String: Any]
        #expect(result?["changed"] as? Bool == false, "\(module.stdout)")

        // A changed macvtap mode and model are changes that need a restart.
        let changedFile = try fixture.write(topology("private", "rtl8139"), "changed.yaml")
        let check = try Self.vnetctl(["apply", "-f", changedFile, "--check", "--diff"])
        #expect(check.stdout.contains("-nic: direct \(device) mode vepa") && check.stdout.contains("+nic: direct \(device) mode private"),
                "\(check)")
        #expect(check.stdout.contains("+nic: \(net) model=rtl8139"), "\(check)")
        #expect(try Self.interfaces(VirshDomains.xml(name, inactive: true)) == rendered)
    }

    /// Each row: `define vm` NIC options (or, with a leading "yaml:", one `nics:` entry applied
    /// from a topology file), with NET, BR, DEV and IP standing for the test's network, bridge,
    /// veth and an address of the network.
    static let badSpecs: [[String]] = [
        ["bridge=vnt-nosuchbr"],
        ["bridge=DEV"],
        ["type=direct,source=vnt-nosuchdev"],
        ["type=direct,source=lo"],
        ["type=direct"],
        ["type=direct,source=DEV,source_mode=vepx"],
        ["user,backend=passt"],
        ["user,ip=10.0.2.15"],
        ["bridge=BR,ip=IP"],
        ["network=NET,bridge=BR"],
        ["NET,model=e1000x"],
        ["NET,mdel=e1000"],
        ["type=tap,source=DEV"],
        ["user,net=10.0.3.0/31"],
        ["NET,mac=zz"],
        ["bridge=BR,mac=DEVMAC"],
        ["NET,ip=IP", "bridge=vnt-nosuchbr"],
        ["NET,ip=IP", "user,source=DEV"],
        ["yaml:{ direct: DEV, mode: vepx }"],
        ["yaml:{ network: NET, bridge: BR }"],
        ["yaml:{ bridge: vnt-nosuchbr }"],
        ["yaml:{ bridge: DEV }"],
        ["yaml:{ user: true, backend: passt }"],
        ["yaml:{ network: NET, ip: IP, model: e1000x }"],
    ]

    @Test func everyBadNICSpecExits2InOneLineAndChangesNothing() throws {
        let fixture = try Fixture()
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            fixture.remove()
        }
        let deviceMAC = try fixture.veth.mac()
        let ip = try #require(fixture.network.address(41))
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "NET", with: fixture.network.name)
                .replacingOccurrences(of: "DEVMAC", with: deviceMAC)
                .replacingOccurrences(of: "DEV", with: fixture.veth.name)
                .replacingOccurrences(of: "BR", with: fixture.bridge.name)
                .replacingOccurrences(of: "IP", with: ip)
        }
        for spec in Self.badSpecs {
            let tag = TestNames.unique("nicbad")
            cleanup.track(tag)
            let before = try VMHostState.capture(tag: tag, networks: [fixture.network.name])
            let result: CommandResult
            if let entry = spec.first, entry.hasPrefix("yaml:") {
                let yaml = "vms:\n  - name: \(tag)\n    set: { virtType: qemu }\n    nics:\n      - \(fill(String(entry.dropFirst(5))))\n"
                result = try Self.vnetctl(["apply", "-f", try fixture.write(yaml, "\(tag).yaml")])
            } else {
                result = try Self.vnetctl(["define", "vm", tag, "--set", "virtType=qemu"] + spec.flatMap { ["--network", fill($0)] })
            }
            let after = try VMHostState.capture(tag: tag, networks: [fixture.network.name])
            #expect(result.status == 2, "\(spec): \(result)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.hasPrefix("vnetctl: ") == true, "\(spec): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(spec): \(result.stdout)")
            #expect(after.differences(to: before) == [], "\(spec)")
            #expect(!VirshDomains.exists(tag), "\(spec)")
        }
    }
}
