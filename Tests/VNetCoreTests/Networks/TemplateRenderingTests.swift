import Foundation
import HostNet
import LibXML
import Testing
import VNetCore

/// The shipped network templates rendered through `NetworkDefiner.prepare`: each model gives XML
/// that libvirt's network.rng accepts with the elements the plan asks for; users' own templates
/// work, and every way a template can go wrong is invalid input naming the template.
struct TemplateRenderingTests {
    /// `Sources/VNetCore/Templates` of the source tree these tests were built from.
    static let templateDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/VNetCore/Templates")
    static let library = TemplateLibrary(directory: templateDirectory)
    static let metadataXPath =
        "/network/metadata/*[local-name()='network' and namespace-uri()='\(VNetMetadata.namespace)']"

    static let environment = NetworkEnvironment(
        networks: [],
        links: [
            HostLink(index: 1, name: "lo", kind: .loopback, mtu: 65536, isUp: true),
            HostLink(index: 2, name: "eth0", kind: .ethernet, mac: "52:54:00:aa:bb:01", mtu: 1500, isUp: true),
            HostLink(index: 3, name: "br0", kind: .bridge, kernelKind: "bridge", mac: "52:54:00:aa:bb:02", mtu: 1500, isUp: true),
        ],
        addresses: [], routes: [])

    static func subnet(_ text: String) -> NetworkSpec.Subnet { .explicit(try! IPv4CIDR(text)) }

    func prepare(_ spec: NetworkSpec) throws -> NetworkDefinition {
        try NetworkDefiner.prepare(spec, in: Self.environment, templates: Self.library)
    }

    /// The rendered XML, parsed, after checking it against libvirt's schema ourselves.
    func render(_ spec: NetworkSpec) throws -> (NetworkDefinition, XMLDocument) {
        let definition = try prepare(spec)
        let document = try XMLDocument(string: definition.xml, source: "rendered \(spec.name)")
        let problems = try RelaxNGSchema.libvirt("network").validate(document)
        #expect(problems.isEmpty, "network.rng refuses \(definition.xml): \(problems)")
        return (definition, document)
    }

    /// The invalid-input refusal of `spec`.
    func refusal(_ spec: NetworkSpec) -> String {
        let error = #expect(throws: VNetError.self) { try prepare(spec) }
        #expect(error?.kind == .invalidInput, "\(String(describing: error))")
        return error?.message ?? ""
    }

    /// A temporary template file with `text`, removed by the caller.
    func writeTemplate(_ text: String, directoryName: String = "vnt-tpl-\(UUID().uuidString.prefix(8))") throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(directoryName)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("custom.xml.mustache")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return (directory, file.path)
    }

    // MARK: - Shipped templates

    @Test func theLibraryShipsOneTemplatePerModel() {
        #expect(Self.library.entries(.network).map(\.name).sorted() == NetworkModel.allCases.map(\.rawValue).sorted())
    }

    @Test(arguments: [
        (NetworkModel.isolated, nil as String?), (.routed, "route"), (.nat, "nat"), (.open, "open"),
    ])
    func modelWithAddressesRendersItsForwardBridgeAndIP(model: NetworkModel, forwardMode: String?) throws {
        let spec = NetworkSpec(
            name: "vnt-r-\(model)", model: model, subnet: Self.subnet("10.123.4.0/24"),
            dhcpRange: try IPv4Range("10.123.4.100-10.123.4.200"),
            reservations: [
                try DHCPReservation("52:54:00:00:00:01,10.123.4.10,web1"), try DHCPReservation("52:54:00:00:00:02,10.123.4.11"),
            ])
        let (definition, document) = try render(spec)
        #expect(definition.template == model.rawValue)
        #expect(definition.plan.model == model)
        #expect(try document.string("string(/network/name)") == "vnt-r-\(model)")
        #expect(try document.elements("/network/forward").count == (forwardMode == nil ? 0 : 1))
        #expect(try document.string("/network/forward/@mode") == forwardMode)
        #expect(try document.string("/network/forward/@dev") == nil)
        #expect(try document.string("/network/bridge/@name") == "vn-vnt-r-\(model)".prefix(15).description)
        #expect(try document.string("/network/bridge/@stp") == "off")
        #expect(try document.string("/network/bridge/@delay") == "0")
        #expect(try document.elements("/network/ip").count == 1)
        #expect(try document.string("/network/ip/@address") == "10.123.4.1")
        #expect(try document.string("/network/ip/@prefix") == "24")
        #expect(try document.string("/network/ip/@family") == nil)
        #expect(try document.string("/network/ip/dhcp/range/@start") == "10.123.4.100")
        #expect(try document.string("/network/ip/dhcp/range/@end") == "10.123.4.200")
        #expect(try document.strings("/network/ip/dhcp/host/@mac") == ["52:54:00:00:00:01", "52:54:00:00:00:02"])
        #expect(try document.strings("/network/ip/dhcp/host/@ip") == ["10.123.4.10", "10.123.4.11"])
        #expect(try document.strings("/network/ip/dhcp/host/@name") == ["web1"])
        // Only the named reservation becomes a DNS host.
        #expect(try document.elements("/network/dns/host").count == 1)
        #expect(try document.string("/network/dns/host/@ip") == "10.123.4.10")
        #expect(try document.strings("/network/dns/host/hostname") == ["web1"])
        #expect(try document.elements("/network/mtu").isEmpty)
        #expect(try document.elements("/network/domain").isEmpty)
        try expectMetadata(document, model: model, template: model.rawValue)
    }

    func expectMetadata(_ document: XMLDocument, model: NetworkModel, template: String) throws {
        let metadata = try #require(try document.firstElement(Self.metadataXPath), "no vnetctl metadata element")
        #expect(metadata.attribute("model") == model.rawValue)
        #expect(metadata.attribute("template") == template)
        #expect(metadata.attribute("version") == ToolInfo.version)
    }

    @Test(arguments: [NetworkModel.isolated, .routed, .nat, .open])
    func defaultsRenderTheWholeSubnetAfterTheGateway(model: NetworkModel) throws {
        let (_, document) = try render(NetworkSpec(name: "lab", model: model, subnet: Self.subnet("10.123.9.0/24")))
        #expect(try document.string("/network/ip/dhcp/range/@start") == "10.123.9.2")
        #expect(try document.string("/network/ip/dhcp/range/@end") == "10.123.9.254")
        #expect(try document.elements("/network/ip/dhcp/host").isEmpty)
        #expect(try document.elements("/network/dns").isEmpty)
    }

    @Test(arguments: [NetworkModel.isolated, .routed, .nat, .open])
    func optionalPartsRender(model: NetworkModel) throws {
        let spec = NetworkSpec(
            name: "lab", model: model, subnet: Self.subnet("10.123.4.0/24"), ipv6: try IPv6CIDR("fd00:123::/64"),
            dhcp: false, domain: "lab.example", mtu: 9000)
        let (_, document) = try render(spec)
        #expect(try document.string("/network/mtu/@size") == "9000")
        #expect(try document.string("/network/domain/@name") == "lab.example")
        #expect(try document.elements("/network/ip/dhcp").isEmpty)
        #expect(try document.string("/network/ip[not(@family)]/@address") == "10.123.4.1")
        #expect(try document.string("/network/ip[@family='ipv6']/@address") == "fd00:123::1")
        #expect(try document.string("/network/ip[@family='ipv6']/@prefix") == "64")
    }

    @Test func noHostIPRendersNoIP() throws {
        let (_, document) = try render(NetworkSpec(name: "lab", model: .isolated, hostIP: false))
        #expect(try document.elements("/network/ip").isEmpty)
        #expect(try document.string("/network/bridge/@name") == "vn-lab")
    }

    @Test(arguments: [NetworkModel.routed, .nat])
    func uplinkBecomesTheForwardDevice(model: NetworkModel) throws {
        let (_, document) = try render(
            NetworkSpec(name: "lab", model: model, subnet: Self.subnet("10.123.4.0/24"), uplink: "eth0"))
        #expect(try document.string("/network/forward/@dev") == "eth0")
    }

    @Test func bridgedOnAHostBridge() throws {
        let (definition, document) = try render(NetworkSpec(name: "lan", model: .bridged, bridge: "br0", mtu: 1500))
        #expect(definition.template == "bridged")
        #expect(try document.string("/network/forward/@mode") == "bridge")
        #expect(try document.elements("/network/forward/interface").isEmpty)
        #expect(try document.string("/network/bridge/@name") == "br0")
        // libvirt does not manage a host bridge's STP: the bridged template must not set it.
        #expect(try document.string("/network/bridge/@stp") == nil)
        #expect(try document.elements("/network/ip").isEmpty)
        #expect(try document.string("/network/mtu/@size") == "1500")
        try expectMetadata(document, model: .bridged, template: "bridged")
    }

    @Test func bridgedOnAMacvtapUplink() throws {
        let (_, document) = try render(NetworkSpec(name: "lan", model: .bridged, uplink: "eth0"))
        #expect(try document.elements("/network/forward").count == 1)
        #expect(try document.string("/network/forward/@mode") == "bridge")
        #expect(try document.strings("/network/forward/interface/@dev") == ["eth0"])
        #expect(try document.elements("/network/bridge").isEmpty)
    }

    // MARK: - --set

    @Test func setChangesATemplateValue() throws {
        var spec = NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"))
        spec.settings = ["bridge.stp": "on", "bridge.delay": "2"]
        let (_, document) = try render(spec)
        #expect(try document.string("/network/bridge/@stp") == "on")
        #expect(try document.string("/network/bridge/@delay") == "2")
        #expect(try document.string("/network/bridge/@name") == "vn-lab")
    }

    @Test func setBelowASingleValueIsRefused() {
        var spec = NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"))
        spec.settings = ["name.extra": "x"]
        #expect(refusal(spec) == "setting name.extra: 'name' is a single value, not a group; set 'name' itself")
    }

    @Test func setWithAnEmptyKeyPartIsRefused() {
        var spec = NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"))
        spec.settings = ["bridge..stp": "on"]
        #expect(refusal(spec) == "setting bridge..stp=on: the key has an empty part; use KEY or KEY.SUBKEY")
    }

    @Test func setThatBreaksTheSchemaIsRefused() {
        var spec = NetworkSpec(name: "lab", model: .nat, subnet: Self.subnet("10.123.4.0/24"))
        spec.settings = ["bridge.stp": "maybe"]
        let message = refusal(spec)
        let path = Self.templateDirectory.appendingPathComponent("network/nat.xml.mustache").path
        #expect(message.hasPrefix("template \(path) renders XML that libvirt's network.rng refuses"), "\(message)")
        #expect(message.contains("bridge"), "the message names the element: \(message)")
        #expect(message.hasSuffix("check the template and the values set for it"), "\(message)")
    }

    // MARK: - Users' own templates

    static let minimalTemplate = """
        <network>
          <name>{{name}}</name>
          <bridge name="{{bridge.name}}" stp="{{bridge.stp}}" delay="{{bridge.delay}}"/>
          {{#ipv4}}
          <ip address="{{address}}" prefix="{{prefix}}"/>
          {{/ipv4}}
        </network>
        """

    @Test func aUserTemplatePathIsRendered() throws {
        let (directory, path) = try writeTemplate(Self.minimalTemplate)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (definition, document) = try render(
            NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: path))
        #expect(definition.template == path)
        #expect(try document.string("/network/ip/@address") == "10.123.4.1")
        #expect(try document.elements("/network/metadata").isEmpty, "the user's template has no metadata")
    }

    @Test func valuesAreEscapedInTextAndInBothKindsOfAttribute() throws {
        let template = """
            <network>
              <name>{{name}}</name>
              <metadata>
                <t:probe xmlns:t="urn:vnt:test" dq="{{bridge.extra}}" sq='{{bridge.extra}}'>{{bridge.extra}}</t:probe>
              </metadata>
              <bridge name="{{bridge.name}}" stp="{{bridge.stp}}" delay="{{bridge.delay}}"/>
            </network>
            """
        let (directory, path) = try writeTemplate(template)
        defer { try? FileManager.default.removeItem(at: directory) }
        let raw = #"a'b"c<d>e&f&amp;g]]>h{{x}}"#
        var spec = NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: path)
        spec.settings = ["bridge.extra": raw]
        let (_, document) = try render(spec)
        let probe = try #require(try document.firstElement("/network/metadata/*[local-name()='probe']"))
        #expect(probe.attribute("dq") == raw)
        #expect(probe.attribute("sq") == raw)
        #expect(probe.text == raw)
        #expect(try document.elements("/network/metadata/*").count == 1, "the value must not add markup")
    }

    @Test func theTemplatePathIsEscapedInTheMetadata() throws {
        let shipped = try String(
            contentsOf: Self.templateDirectory.appendingPathComponent("network/isolated.xml.mustache"), encoding: .utf8)
        let (directory, path) = try writeTemplate(shipped, directoryName: "vnt-tpl-\(UUID().uuidString.prefix(8))-a&b'c\"d<e>")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (definition, document) = try render(
            NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: path))
        #expect(definition.template == path)
        try expectMetadata(document, model: .isolated, template: path)
    }

    @Test func aMissingTemplateFileIsRefused() {
        let path = "/nonexistent-vnt-\(UUID().uuidString.prefix(8))/custom.xml.mustache"
        #expect(
            refusal(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: path))
                == "template \(path) does not exist; give the path of a readable template file")
    }

    @Test func anUnknownShippedTemplateNameIsRefused() {
        #expect(
            refusal(NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: "nosuch"))
                == "no network template named 'nosuch'; shipped ones are bridged, isolated, nat, open, routed, "
                + "or give the path of your own")
    }

    @Test func aMustacheSyntaxErrorNamesThePathAndLine() throws {
        let template = """
            <network>
              <name>{{name}}</name>
              {{/bridge}}
            </network>
            """
        let (directory, path) = try writeTemplate(template)
        defer { try? FileManager.default.removeItem(at: directory) }
        let message = refusal(
            NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: path))
        #expect(message.hasPrefix("template \(path):3: "), "\(message)")
        #expect(message.hasSuffix("fix the template's Mustache syntax"), "\(message)")
    }

    @Test func anUnclosedSectionIsASyntaxError() throws {
        let template = """
            <network>
              <name>{{name}}</name>
              {{#ipv4}}
              <ip address="{{address}}" prefix="{{prefix}}"/>
            </network>
            """
        let (directory, path) = try writeTemplate(template)
        defer { try? FileManager.default.removeItem(at: directory) }
        let message = refusal(
            NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: path))
        #expect(message.hasPrefix("template \(path):"), "\(message)")
        #expect(message.hasSuffix("fix the template's Mustache syntax"), "\(message)")
    }

    @Test(arguments: [
        "<network>\n  <name>{{name}}</name>\n",
        "<network>\n  <name>{{name}}</name>\n  <bridge name=\"{{bridge.name}}\">\n</network>\n",
        "just text {{name}}\n",
        "",
    ])
    func aTemplateThatDoesNotRenderXMLIsRefused(template: String) throws {
        let (directory, path) = try writeTemplate(template)
        defer { try? FileManager.default.removeItem(at: directory) }
        let message = refusal(
            NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: path))
        #expect(message.hasPrefix("template \(path) does not render to XML"), "\(message)")
        #expect(message.hasSuffix("; fix the template"), "\(message)")
    }

    @Test(arguments: [
        "<network>\n  <name>{{name}}</name>\n  <forward mode=\"banana\"/>\n</network>\n",
        "<network>\n  <bridge name=\"{{bridge.name}}\"/>\n</network>\n",
        "<domain type=\"kvm\">\n  <name>{{name}}</name>\n</domain>\n",
        "<network>\n  <name>{{name}}</name>\n  <nonsense/>\n</network>\n",
    ])
    func aTemplateThatRendersSchemaInvalidXMLIsRefused(template: String) throws {
        let (directory, path) = try writeTemplate(template)
        defer { try? FileManager.default.removeItem(at: directory) }
        let message = refusal(
            NetworkSpec(name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), templatePath: path))
        #expect(message.hasPrefix("template \(path) renders XML that libvirt's network.rng refuses"), "\(message)")
    }

    @Test func planningFailsBeforeTheTemplateIsRead() {
        // A bad plan is reported as such even when the template would also fail.
        let message = refusal(NetworkSpec(
            name: "lab", model: .isolated, subnet: Self.subnet("10.123.4.0/24"), mtu: 0,
            templatePath: "/nonexistent-vnt/custom.xml.mustache"))
        #expect(message == "mtu 0 is out of range 68-65535; give a value in it")
    }
}
