import LibXML
import Testing

@Suite("Editing and serialization")
struct XMLEditingTests {
    static let template = """
        <network>
          <name>lab</name>
          <bridge name='virbr9' stp='on'/>
          <ip address='10.123.6.1' prefix='24'>
            <dhcp>
              <range start='10.123.6.100' end='10.123.6.200'/>
            </dhcp>
          </ip>
        </network>
        """

    @Test func editsSurviveSerializationAndReparsing() throws {
        let document = try XMLDocument(string: Self.template)
        let bridge = try #require(try document.firstElement("/network/bridge"))
        bridge.setAttribute("stp", "off")
        bridge.setAttribute("delay", "0")
        bridge.removeAttribute("name")
        bridge.removeAttribute("absent")
        let dhcp = try #require(try document.firstElement("//dhcp"))
        dhcp.addChild("host").setAttribute("mac", "52:54:00:00:00:01")
        try document.firstElement("//range")?.remove()
        let description = try #require(document.root).addChild("description", text: "lab <net> & more")

        #expect(description.text == "lab <net> & more")
        #expect(description.line == 0)

        let reparsed = try XMLDocument(string: document.serialized())
        #expect(try reparsed.string("/network/bridge/@stp") == "off")
        #expect(try reparsed.string("/network/bridge/@delay") == "0")
        #expect(try reparsed.string("/network/bridge/@name") == nil)
        #expect(try reparsed.strings("//dhcp/host/@mac") == ["52:54:00:00:00:01"])
        #expect(try reparsed.elements("//range").isEmpty)
        #expect(try reparsed.string("/network/description") == "lab <net> & more")
        #expect(try #require(reparsed.root).children.map(\.name) == ["name", "bridge", "ip", "description"])
    }

    static let hostileValues = [
        "a'/><x", "\"/><x y=\"", "<inject/>", "&amp;", "&#x41;", "]]>", "tab\tand\nnewline", "café ✓", "",
    ]

    @Test(arguments: hostileValues)
    func attributeValuesComeBackVerbatim(value: String) throws {
        let document = try XMLDocument(string: "<domain><name>x</name></domain>")
        let root = try #require(document.root)
        root.setAttribute("title", value)
        root.addChild("description", text: value)
        #expect(root.attribute("title") == value)

        let reparsed = try XMLDocument(string: document.serialized())
        #expect(reparsed.root?.attribute("title") == value)
        #expect(try reparsed.string("/domain/description") == value)
        #expect(try reparsed.elements("//*").map(\.name) == ["domain", "name", "description"])
        #expect(reparsed.root?.attribute("y") == nil)
    }

    @Test func serializesWithoutDeclarationKeepingLayoutAndUTF8() throws {
        let xml = "<?xml version='1.0' encoding='UTF-8'?>\n<!-- lab -->\n<network>\n  <name>café</name>\n</network>\n"
        let document = try XMLDocument(string: xml)
        #expect(document.serialized() == "<!-- lab -->\n<network>\n  <name>café</name>\n</network>")
    }

    @Test func formattedOutputReindentsAddedElements() throws {
        let document = try XMLDocument(string: Self.template)
        let dhcp = try #require(try document.firstElement("//dhcp"))
        dhcp.addChild("host").setAttribute("mac", "52:54:00:00:00:01")
        try document.root?.firstElement("bridge")?.remove()
        #expect(
            document.serialized(formatted: true) == """
                <network>
                  <name>lab</name>
                  <ip address="10.123.6.1" prefix="24">
                    <dhcp>
                      <range start="10.123.6.100" end="10.123.6.200"/>
                      <host mac="52:54:00:00:00:01"/>
                    </dhcp>
                  </ip>
                </network>
                """)
        #expect(document.serialized().contains("</range>") == false)
        #expect(document.serialized().contains("<host mac=\"52:54:00:00:00:01\"/></dhcp>"))
    }

    @Test func childrenAreElementsOnly() throws {
        let document = try XMLDocument(string: "<a>text<b/><!-- c --><c>x</c><?pi d?></a>")
        #expect(document.root?.children.map(\.name) == ["b", "c"])
        #expect(document.root?.children.first?.parent?.name == "a")
        #expect(document.root?.parent == nil)
    }

    @Test func anElementKeepsItsDocumentAlive() throws {
        func firstHost() throws -> XMLElement? {
            try XMLDocument(string: "<network><ip><dhcp><host ip='10.123.0.5'/></dhcp></ip></network>")
                .firstElement("//host")
        }
        let host = try #require(try firstHost())
        #expect(host.attribute("ip") == "10.123.0.5")
        #expect(try host.firstElement("/network/ip")?.name == "ip")
        #expect(host.document.serialized().contains("10.123.0.5"))
    }

    @Test func removedElementsStaySafeToUse() throws {
        let document = try XMLDocument(string: "<network><ip><dhcp><host ip='10.123.0.5'/></dhcp></ip></network>")
        let ip = try #require(try document.firstElement("//ip"))
        let host = try #require(try document.firstElement("//host"))
        ip.remove()
        ip.remove()
        host.setAttribute("name", "gone")
        host.remove()
        #expect(host.attribute("name") == "gone")
        #expect(try ip.elements("//host").isEmpty)
        #expect(document.serialized() == "<network/>")
        document.root?.remove()
        #expect(document.root == nil)
        #expect(document.serialized() == "")
    }

    @Test(arguments: [
        ("mac", true), ("vnetctl:network", true), ("_x-1.2", true),
        ("1st", false), ("a b", false), ("", false), ("a>", false),
    ])
    func validatesNames(name: String, valid: Bool) {
        #expect(XMLElement.isValidName(name) == valid)
    }
}
