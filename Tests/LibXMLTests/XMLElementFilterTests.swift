import LibXML
import Testing

/// A read-only parse with a filter builds the root and the elements the filter keeps, with their
/// lines, and nothing of the rest; the rest is still checked for well-formedness.
@Suite("Element filter")
struct XMLElementFilterTests {
    static let xml = """
        <domain>
          <name>vm1</name>
          <skipped a='1'>text <interface/><!-- c --><?pi x?><![CDATA[cd]]><name>inner</name></skipped>
          <devices>
            <controller><interface type='no'/></controller>
            <interface type='yes'><mac address='m1'/><deeper><x/></deeper></interface>
            <disk device='d'/>
          </devices>
          <name>second</name>
        </domain>
        """
    static let filter = XMLElementFilter.children(["name": .all, "devices": .children(["interface": .all])])

    @Test func keepsOnlyWhatTheFilterNames() throws {
        let document = try XMLDocument(readingOnly: Self.xml, source: "f.xml", keeping: Self.filter)
        let root = try #require(document.root)
        #expect(root.children.map(\.name) == ["name", "devices", "name"])
        #expect(root.children.map(\.line) == [2, 4, 9])
        #expect(root.children("name").map(\.text) == ["vm1", "second"])
        let devices = try #require(root.child("devices"))
        #expect(devices.children.map(\.name) == ["interface"])
        #expect(devices.child("interface")?.attribute("type") == "yes")
        #expect(devices.child("interface")?.children.map(\.name) == ["mac", "deeper"])
        #expect(try document.strings("//interface/@type") == ["yes"])
        #expect(try document.strings("//text()") == ["vm1", "second"])
    }

    @Test func keepingAllBuildsTheWholeTree() throws {
        let filtered = try XMLDocument(readingOnly: Self.xml, source: "f.xml", keeping: .all)
        let whole = try XMLDocument(readingOnly: Self.xml, source: "f.xml")
        #expect(filtered.serialized() == whole.serialized())
        #expect(try filtered.strings("//interface/@type") == ["no", "yes"])
    }

    @Test func aSyntaxErrorInASkippedElementIsStillOne() {
        let broken = "<domain><name>a</name><skipped><x></skipped></domain>"
        #expect(throws: XMLError.self) {
            try XMLDocument(readingOnly: broken, source: "b.xml", keeping: Self.filter)
        }
    }
}
