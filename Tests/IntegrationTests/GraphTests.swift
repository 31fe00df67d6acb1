import Foundation
import LibXML
import Testing
import TestSupport

/// `vnetctl graph`, proven by parsing the SVG that Graphviz's library renders: a topology file's
/// plan before it is applied (nothing is made), then the host after it: one network of each
/// model, four defined VMs (none runs: each NIC's edge goes straight to its bridge, since a tap
/// exists only while a VM runs; the tap itself is drawn by `HostGraphTests`) and a port forward.
@Suite(.onTestThreads, .serialized)
struct GraphTests {
    /// The ids of the SVG's nodes and edges and its text lines.
    struct Drawing {
        var nodes: Set<String>
        var edges: Set<String>
        var texts: [String]

        init(svg: String) throws {
            let document = try XMLDocument(string: svg, source: "graph.svg")
            func ids(_ kind: String) throws -> Set<String> {
                Set(try document.elements("//*[local-name()='g'][@class='\(kind)']").compactMap { $0.attribute("id") })
            }
            nodes = try ids("node")
            edges = try ids("edge")
            texts = try document.elements("//*[local-name()='text']").map(\.text)
        }
    }

    /// The link the host's main default route leaves by, when it has one.
    static func defaultRouteLink() -> String? {
        let words = ((try? Command.output(["ip", "-o", "-4", "route", "show", "default"])) ?? "").split(separator: " ")
        return words.firstIndex(of: "dev").flatMap { words.index(after: $0) < words.endIndex ? String(words[words.index(after: $0)]) : nil }
    }

    /// The lab with a forward of `port` on its nat network to VM 2's port 80.
    static func lab(bridge: String, port: Int) throws -> TopologyLab {
        let lab = try TopologyLab(bridge: bridge)
        let subnet = "    subnet: 10.123.\(lab.natOctet).0/24\n"
        lab.override = lab.yaml.replacingOccurrences(of: subnet, with: subnet + "    forwards: [\"tcp:\(port):\(lab.vm2):80\"]\n")
        try lab.write()
        return lab
    }

    /// What both pictures show: every network, VM and NIC edge, the ways out and the forward.
    static func expectLab(_ drawing: Drawing, _ lab: TopologyLab, port: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for network in lab.networks { #expect(drawing.nodes.contains("net:\(network)"), "\(drawing.nodes)", sourceLocation: sourceLocation) }
        for vm in lab.vms { #expect(drawing.nodes.contains("vm:\(vm)"), "\(drawing.nodes)", sourceLocation: sourceLocation) }
        let nics = [(lab.vm1, lab.nat), (lab.vm1, lab.isolated), (lab.vm2, lab.nat), (lab.vm3, lab.routed), (lab.vm4, lab.routed),
                    (lab.vm4, lab.bridged)]
        for (vm, network) in nics {
            #expect(drawing.edges.contains("edge:vm:\(vm)->net:\(network)"), "\(drawing.edges)", sourceLocation: sourceLocation)
        }
        #expect(!drawing.edges.contains { $0.hasPrefix("edge:net:\(lab.isolated)->") }, "isolated leads nowhere", sourceLocation: sourceLocation)
        if let uplink = defaultRouteLink() {
            #expect(drawing.nodes.contains("link:\(uplink)"), sourceLocation: sourceLocation)
            #expect(drawing.edges.contains("edge:net:\(lab.nat)->link:\(uplink)"), "\(drawing.edges)", sourceLocation: sourceLocation)
            #expect(drawing.edges.contains("edge:net:\(lab.routed)->link:\(uplink)"), "\(drawing.edges)", sourceLocation: sourceLocation)
            #expect(drawing.edges.contains("forward:\(lab.nat):tcp:\(port)"), "\(drawing.edges)", sourceLocation: sourceLocation)
        }
        for (octet, host) in [(lab.natOctet, 11), (lab.natOctet, 12), (lab.isolatedOctet, 11), (lab.routedOctet, 20)] {
            #expect(drawing.texts.contains(lab.ip(octet, host)), "\(drawing.texts)", sourceLocation: sourceLocation)
        }
        #expect(drawing.texts.contains("host bridge \(lab.bridge)"), "\(drawing.texts)", sourceLocation: sourceLocation)
        #expect(drawing.texts.contains { $0.hasPrefix("\(lab.nat) · nat") }, "\(drawing.texts)", sourceLocation: sourceLocation)
    }

    @Test func planThenHostRenderTheSameLab() throws {
        let bridge = try TestBridge()
        let port = Int.random(in: 30000...39990)
        let lab = try Self.lab(bridge: bridge.name, port: port)
        let directory = lab.directory.path
        defer {
            lab.remove()
            bridge.remove()
        }

        let planned = try VNetCtlBinary.run(["graph", "-f", lab.path, "--format", "svg", "-o", directory + "/plan.svg"])
        try #require(planned.status == 0, "\(planned)")
        let plan = try Drawing(svg: try String(contentsOfFile: directory + "/plan.svg", encoding: .utf8))
        Self.expectLab(plan, lab, port: port)
        #expect(plan.texts.contains("\(lab.nat) · nat · planned"), "\(plan.texts)")
        #expect(plan.texts.contains("MAC at define"), "\(plan.texts)")
        let networks = try Virsh.networkNames(all: true)
        #expect(lab.networks.allSatisfy { !networks.contains($0) }, "graph -f made nothing")

        let applied = try lab.apply()
        try #require(applied.status == 0, "\(applied)")
        let host = try VNetCtlBinary.run(["graph", "--format", "svg"])
        try #require(host.status == 0, "\(host.stderr)")
        let drawing = try Drawing(svg: host.stdout)
        Self.expectLab(drawing, lab, port: port)
        #expect(drawing.texts.contains("\(lab.nat) · nat"), "\(drawing.texts)")
        for vm in lab.vms {
            for mac in try VirshDomains.interfaceMACs(inXML: try VirshDomains.xml(vm, inactive: true)) {
                #expect(drawing.texts.contains(mac.lowercased()), "\(vm) \(mac): \(drawing.texts)")
            }
        }

        let png = try VNetCtlBinary.run(["graph", "-o", directory + "/host.png"])
        try #require(png.status == 0, "\(png)")
        let bytes = try #require(FileManager.default.contents(atPath: directory + "/host.png"))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG file")
    }

    @Test func pngWithoutAFileIsRefused() throws {
        let result = try VNetCtlBinary.run(["graph", "--format", "png"])
        #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.contains("-o FILE"), "\(result)")
    }
}
