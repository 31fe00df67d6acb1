import Foundation
import LibXML
import Testing
import TestSupport
import VNetCore

/// The suites that define networks and compare libvirt's whole state before and after. Other
/// tests' networks coming and going show up in the snapshots as other tests' objects, which
/// `UnchangedState` tells apart; running these suites one at a time made them the longest chain
/// of the whole run (66 bad inputs, each between two snapshots).
@Suite(.onTestThreads) enum NetworkDefineSuites {}

extension NetworkDefineSuites {
    /// `vnetctl define network` against qemu:///system, proven through virsh and the kernel: the
    /// network exists, runs, autostarts, carries vnetctl's metadata, is listed and shown, `--dry-run`
    /// prints what a real define stores, and `undefine` removes network and bridge.
    @Suite(.onTestThreads, .serialized) struct NetworkDefineTests {
        static let metadataXPath =
            "/network/metadata/*[local-name()='network' and namespace-uri()='\(VNetMetadata.namespace)']"

        func json(_ result: CommandResult) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
        }

        func vnetctl(_ arguments: [String]) throws -> CommandResult {
            try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
        }

        func autostart(_ name: String) throws -> Bool? {
            let info = try Virsh.output(["net-info", name])
            guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix("Autostart:") }) else { return nil }
            return line.hasSuffix("yes")
        }

        @Test(arguments: [LabModel.isolated, .routed, .nat, .open])
        func definesStartsListsShowsAndUndefines(model: LabModel) throws {
            let name = TestNames.unique("net")
            defer { Virsh.destroyAndUndefine(name) }
            let octet = try TestSubnets.freeThirdOctet()
            let subnet = "10.123.\(octet).0/24"

            let result = try vnetctl([
                "--json", "define", "network", name, "--model", model.rawValue, "--subnet", subnet, "--start", "--autostart",
            ])
            #expect(result.status == 0, "\(result)")
            let report = try json(result)
            #expect(report["name"] as? String == name)
            #expect(report["model"] as? String == model.rawValue)
            #expect(report["template"] as? String == model.rawValue)
            #expect(report["subnet"] as? String == subnet)
            #expect(report["gateway"] as? String == "10.123.\(octet).1")
            #expect(report["dhcpRange"] as? [String: String] == ["start": "10.123.\(octet).2", "end": "10.123.\(octet).254"])
            #expect(report["started"] as? Bool == true)
            #expect(report["autostart"] as? Bool == true)
            #expect(report["dryRun"] as? Bool == false)
            let bridge = try #require(report["bridge"] as? String, "\(report)")
            #expect(bridge == "vn-" + name.prefix(12))

            // virsh: running, autostarting, with vnetctl's metadata and the plan's elements.
            #expect(try Virsh.isActive(name))
            #expect(try autostart(name) == true)
            let document = try XMLDocument(string: try Virsh.dumpXML(name), source: "virsh net-dumpxml \(name)")
            let metadata = try #require(try document.firstElement(Self.metadataXPath), "no vnetctl metadata in libvirt's XML")
            #expect(metadata.attribute("model") == model.rawValue)
            #expect(metadata.attribute("template") == model.rawValue)
            #expect(metadata.attribute("version") == ToolInfo.version)
            #expect(try document.string("/network/bridge/@name") == bridge)
            #expect(try document.string("/network/bridge/@stp") == "off")
            #expect(try document.string("/network/ip/@address") == "10.123.\(octet).1")
            #expect(KernelBridge(bridge).exists)
            #expect(KernelBridge(bridge).stpState == 0)

            // vnetctl list networks --json
            let list = try vnetctl(["--json", "list", "networks"])
            #expect(list.status == 0, "\(list)")
            let rows = try #require(try json(list)["networks"] as? [[String: Any]], "\(list)")
            let row = try #require(rows.first { $0["name"] as? String == name }, "list lacks \(name)")
            #expect(row["model"] as? String == model.rawValue)
            #expect(row["bridge"] as? String == bridge)
            #expect(row["addresses"] as? [String] == ["10.123.\(octet).1/24"])
            #expect(row["active"] as? Bool == true)
            #expect(row["autostart"] as? Bool == true)
            #expect(row["persistent"] as? Bool == true)
            #expect(row["managed"] as? Bool == true)

            // vnetctl show network NAME --json
            let show = try vnetctl(["--json", "show", "network", name])
            #expect(show.status == 0, "\(show)")
            let details = try json(show)
            #expect(details["dhcpRange"] as? [String: String] == ["start": "10.123.\(octet).2", "end": "10.123.\(octet).254"])
            #expect(details["template"] as? String == model.rawValue)
            let summary = try #require(details["summary"] as? [String: Any], "\(details)")
            #expect(summary["model"] as? String == model.rawValue)

            // undefine removes the network and its bridge.
            let undefine = try vnetctl(["undefine", "network", name])
            #expect(undefine.status == 0, "\(undefine)")
            #expect(!(try Virsh.networkNames(all: true)).contains(name))
            #expect(!(try LibvirtState.linkNames()).contains(bridge))
        }

        // MARK: - --dry-run

        /// An element as comparable text: namespace and name, sorted attributes, leaf text, children in order.
        static func canonical(_ element: XMLElement) throws -> String {
            let count = Int(try element.string("count(@*)") ?? "0") ?? 0
            var attributes: [String] = []
            if count > 0 {
                for index in 1...count {
                    let name = try element.string("name(@*[\(index)])") ?? "?"
                    let value = try element.string("string(@*[\(index)])") ?? ""
                    attributes.append("\(name)=\(value)")
                }
            }
            let namespace = try element.string("namespace-uri()") ?? ""
            let children = element.children
            let text = children.isEmpty ? element.text.trimmingCharacters(in: .whitespacesAndNewlines) : ""
            let inner = try children.map(canonical).joined()
            return "<{\(namespace)}\(element.name) \(attributes.sorted().joined(separator: " "))>\(text)\(inner)</>"
        }

        /// The XML without what libvirt adds on define: uuid and the bridge's MAC.
        static func comparable(_ xml: String, fromLibvirt: Bool) throws -> String {
            let document = try XMLDocument(string: xml, source: fromLibvirt ? "libvirt" : "dry run")
            if fromLibvirt {
                #expect(try document.elements("/network/uuid").count == 1, "libvirt adds a uuid")
            }
            for element in try document.elements("/network/uuid | /network/mac") { element.remove() }
            return try canonical(try #require(document.root))
        }

        @Test(arguments: [LabModel.isolated, .routed, .nat, .open])
        func dryRunDefinesNothingAndPrintsWhatADefineStores(model: LabModel) throws {
            let name = TestNames.unique("net")
            defer { Virsh.destroyAndUndefine(name) }
            let octet = try TestSubnets.freeThirdOctet()
            let options = [
                "define", "network", name, "--model", model.rawValue, "--subnet", "10.123.\(octet).0/24",
                "--dhcp-range", "10.123.\(octet).100-10.123.\(octet).200",
                "--host", "52:54:00:7b:\(String(format: "%02x", octet)):0a,10.123.\(octet).10,web1",
                "--domain", "lab.example", "--mtu", "1400",
            ]

            let outcome = try UnchangedState.run(involving: [name, "vn-" + name.prefix(12)]) {
                try vnetctl(options + ["--dry-run"])
            }
            #expect(outcome.result.status == 0, "\(outcome.result)")
            #expect(outcome.result.stderr.isEmpty, "\(outcome.result)")
            #expect(outcome.involvedDifferences.isEmpty, "--dry-run changed something: \(outcome.involvedDifferences)")
            #expect(outcome.unexplainedDifferences.isEmpty, "changed outside any test's objects: \(outcome.unexplainedDifferences)")
            if !outcome.differences.isEmpty {
                Issue.record("other tests changed libvirt on every attempt; only this command's objects were compared: \(outcome.differences)", severity: .warning)
            }
            #expect(!(try Virsh.networkNames(all: true)).contains(name))
            let dryXML = outcome.result.stdout

            let dryJSON = try vnetctl(["--json"] + options + ["--dry-run"])
            #expect(dryJSON.status == 0, "\(dryJSON)")
            let dryReport = try json(dryJSON)
            #expect(dryReport["dryRun"] as? Bool == true)
            #expect(dryReport["started"] as? Bool == false)
            #expect((dryReport["xml"] as? String)?.trimmingCharacters(in: .newlines) == dryXML.trimmingCharacters(in: .newlines))

            let define = try vnetctl(options)
            #expect(define.status == 0, "\(define)")
            #expect(!(try Virsh.isActive(name)), "no --start: defined, not running")
            #expect(try autostart(name) == false, "no --autostart")
            let stored = try Virsh.output(["net-dumpxml", "--inactive", name])
            let expected = try Self.comparable(dryXML, fromLibvirt: false)
            let actual = try Self.comparable(stored, fromLibvirt: true)
            // The canonical form holds attributes and namespaces, so the comparison can fail.
            #expect(expected.contains("start=10.123.\(octet).100"), "\(expected)")
            #expect(expected.contains("{\(VNetMetadata.namespace)}network"), "\(expected)")
            #expect(expected == actual, "dry run:\n\(dryXML)\nlibvirt:\n\(stored)")
        }

        // MARK: - --subnet auto

        /// `--subnet auto --subnet-pool` draws from 10.123.0.0/19, which `TestSubnets` never hands
        /// out (it uses 10.123.100-249.0/24), so parallel tests cannot race this one for a subnet.
        /// The default pool (10.200.0.0/16) is left to `NetworkPlannerTests`: tests stay in 10.123.0.0/16.
        @Test func subnetAutoTwentyTimesGivesTwentyDisjointRunningNetworks() throws {
            var names: [String] = []
            defer { for name in names { Virsh.destroyAndUndefine(name) } }
            var subnets: [IPv4CIDR] = []
            let pool = try IPv4CIDR("10.123.0.0/19")
            for _ in 0..<20 {
                let name = TestNames.unique("auto")
                names.append(name)
                let result = try vnetctl([
                    "--json", "define", "network", name, "--model", "isolated",
                    "--subnet", "auto", "--subnet-pool", "\(pool)", "--start",
                ])
                try #require(result.status == 0, "\(result)")
                let subnet = try IPv4CIDR(try #require(try json(result)["subnet"] as? String, "\(result)"))
                #expect(pool.contains(subnet), "\(subnet) is outside the auto pool")
                #expect(subnet.prefix == 24)
                #expect(!subnets.contains { $0.overlaps(subnet) }, "\(subnet) overlaps one handed out before: \(subnets)")
                subnets.append(subnet)
            }
            let active = try Virsh.networkNames(all: false)
            for name in names {
                #expect(active.contains(name), "\(name) does not run")
            }
            #expect(Set(subnets).count == 20)
        }
    }
}
