import LibXML
import Testing

@Suite("XPath")
struct XPathTests {
    let document: XMLDocument

    init() throws {
        document = try XMLDocument(
            string: """
                <network>
                  <name>lab</name>
                  <forward mode='nat'/>
                  <ip address='10.123.6.1' prefix='24'>
                    <dhcp>
                      <host mac='52:54:00:00:00:01' name='web1' ip='10.123.6.11'/>
                      <host mac='52:54:00:00:00:02' name='web2' ip='10.123.6.12'/>
                      <host mac='52:54:00:00:00:03' ip='10.123.6.13'/>
                    </dhcp>
                  </ip>
                </network>
                """,
            source: "lab.xml")
    }

    @Test func selectsElementsInDocumentOrder() throws {
        let hosts = try document.elements("//host")
        #expect(hosts.map { $0.attribute("ip") } == ["10.123.6.11", "10.123.6.12", "10.123.6.13"])
        #expect(hosts.map(\.line) == [6, 7, 8])
        #expect(try document.firstElement("/network/forward")?.attribute("mode") == "nat")
    }

    @Test func skipsNodesThatAreNotElements() throws {
        #expect(try document.elements("//host/@mac | //name/text()").isEmpty)
    }

    static let values: [(xpath: String, value: String?)] = [
        ("/network/name", "lab"),
        ("string(/network/name)", "lab"),
        ("/network/forward/@mode", "nat"),
        ("//host[@name='web2']/@mac", "52:54:00:00:00:02"),
        ("//host/@mac", "52:54:00:00:00:01"),
        ("count(//host)", "3"),
        ("count(//host[@name])", "2"),
        ("count(//nothing)", "0"),
        ("boolean(/network/forward)", "true"),
        ("concat(/network/ip/@address, '/', /network/ip/@prefix)", "10.123.6.1/24"),
        ("/network/bridge/@name", nil),
        ("//host[4]", nil),
        ("string(/network/bridge/@name)", ""),
    ]

    @Test(arguments: values)
    func evaluatesToAString(xpath: String, value: String?) throws {
        #expect(try document.string(xpath) == value)
    }

    @Test func collectsTheValueOfEveryNode() throws {
        #expect(try document.strings("//host/@mac") == ["52:54:00:00:00:01", "52:54:00:00:00:02", "52:54:00:00:00:03"])
        #expect(try document.strings("//host/@name") == ["web1", "web2"])
        #expect(try document.strings("/network/name | /network/forward/@mode") == ["lab", "nat"])
        #expect(try document.strings("//bridge/@name").isEmpty)
        #expect(try document.strings("count(//host)") == ["3"])
    }

    @Test func evaluatesRelativeToAnElement() throws {
        let dhcp = try #require(try document.firstElement("//dhcp"))
        #expect(try dhcp.elements("host").count == 3)
        #expect(try dhcp.firstElement("host[@ip='10.123.6.12']")?.attribute("name") == "web2")
        #expect(try dhcp.firstElement("..")?.name == "ip")
        #expect(try dhcp.string("count(host)") == "3")
        #expect(try dhcp.elements("/network/name").map(\.text) == ["lab"])
        #expect(try dhcp.firstElement("name") == nil)
    }

    static let invalid: [(xpath: String, reason: String)] = [
        ("//[", "Invalid expression"),
        ("/network/@", "Invalid expression"),
        ("", "Invalid expression"),
        ("count(//host", "Invalid expression"),
        ("/network[name", "Invalid predicate"),
        ("unknown-function()", "Unregistered function"),
        ("count(1, 2)", "Invalid number of arguments"),
        ("$undefined", "Undefined variable"),
        ("//vnetctl:network", "Undefined namespace prefix"),
        ("'unterminated", "Unfinished literal"),
    ]

    @Test(arguments: invalid)
    func invalidExpressionThrows(xpath: String, reason: String) {
        let expected = XMLError(source: "lab.xml", message: "invalid XPath expression '\(xpath)': \(reason)")
        #expect(throws: expected) { try document.elements(xpath) }
        #expect(throws: expected) { try document.string(xpath) }
        #expect(throws: expected) { try document.strings(xpath) }
        #expect(throws: expected) { try document.root?.elements(xpath) }
    }

    @Test func elementsOfAValueThatIsNoNodeSetThrows() {
        let expected = XMLError(source: "lab.xml", message: "XPath expression 'count(//host)' gives a number, not elements")
        #expect(throws: expected) {
            try document.elements("count(//host)")
        }
    }
}
