import Foundation
import LibXML
import Testing

@Suite("Parsing")
struct XMLDocumentParsingTests {
    @Test func parsesAWellFormedDocumentWithLines() throws {
        let document = try XMLDocument(
            string: """
                <network>
                  <name>lab</name>
                  <bridge name='virbr9'/>
                </network>
                """,
            source: "<network template isolated>")
        let root = try #require(document.root)
        #expect(root.name == "network")
        #expect(root.line == 1)
        #expect(root.children.map(\.name) == ["name", "bridge"])
        #expect(root.children.map(\.line) == [2, 3])
        #expect(document.source == "<network template isolated>")
    }

    /// `children(_:)` and `child(_:)` match whole local names only, in document order, and skip
    /// text, comments and processing instructions.
    @Test func childrenByNameMatchWholeNamesInOrder() throws {
        let document = try XMLDocument(
            string: """
                <devices xmlns:v='urn:x'>
                  <!-- interface --><interface n='1'/>text<interfaces n='x'/><iface n='y'/>
                  <?interface no?><v:interface n='2'/><disk/><interface n='3'/>
                </devices>
                """,
            source: "d.xml")
        let root = try #require(document.root)
        #expect(root.children("interface").map { $0.attribute("n") } == ["1", "2", "3"])
        #expect(root.child("interface")?.attribute("n") == "1")
        #expect(root.child("disk") != nil)
        #expect(root.child("interfac") == nil)
        #expect(root.children("missing").isEmpty)
        #expect(root.child("interface")?.child("anything") == nil)
    }

    /// Attribute values and texts read in place equal what libxml2's copying readers return, in
    /// both kinds of tree: escapes, empty values, namespaced attributes, CDATA and nested text.
    @Test(arguments: [false, true])
    func attributesAndTextsReadInPlaceMatchLibxml2s(readOnly: Bool) throws {
        let xml = """
            <d xmlns:v='urn:x' a='x &amp; y' e='' v:a='other'><t>plain</t><c>one<![CDATA[<two>]]></c><n>a<i>b</i>c</n><z/></d>
            """
        let document = readOnly ? try XMLDocument(readingOnly: xml, source: "d.xml") : try XMLDocument(string: xml, source: "d.xml")
        let root = try #require(document.root)
        #expect(root.attribute("a") == "x & y")
        #expect(root.attribute("e") == "")
        #expect(root.attribute("missing") == nil)
        #expect(root.child("t")?.text == "plain")
        #expect(root.child("c")?.text == "one<two>")
        #expect(root.child("n")?.text == "abc")
        #expect(root.child("z")?.text == "")
    }

    @Test func aReadOnlyTreeHasTheSameElementsTextsAndLinesWithoutTheIndentation() throws {
        let xml = """
            <domain type='qemu'>
              <name>vm1</name>
              <memory unit='KiB'>65536</memory>
              <devices>
                <interface type='network'><mac address='52:54:00:00:00:01'/><source network='lab'/></interface>
              </devices>
              <description> kept as written </description>
            </domain>
            """
        let editable = try XMLDocument(string: xml, source: "d.xml")
        let readOnly = try XMLDocument(readingOnly: xml, source: "d.xml")
        #expect(!editable.isReadOnly && readOnly.isReadOnly)
        let root = try #require(readOnly.root)
        #expect(root.children.map(\.name) == ["name", "memory", "devices", "description"])
        #expect(root.children.map(\.line) == [2, 3, 4, 7])
        #expect(root.children.map(\.text) == ["vm1", "65536", "", " kept as written "])
        #expect(try readOnly.string("string(/domain/devices/interface/mac/@address)") == "52:54:00:00:00:01")
        #expect(try readOnly.strings("//text()").count == 3)
        #expect(try editable.strings("//text()").count > 3)
        #expect(readOnly.serialized().hasPrefix("<domain type=\"qemu\"><name>vm1</name>"))
    }

    @Test func aReadOnlyParseReportsErrorsAsAnyParse() {
        #expect {
            _ = try XMLDocument(readingOnly: "<domain>\n  <name>a</nam>\n</domain>", source: "r.xml")
        } throws: { error in
            (error as? XMLError).map { $0.source == "r.xml" && $0.line == 2 } ?? false
        }
    }

    static let malformed: [(xml: String, line: Int, message: String)] = [
        ("<network>\n  <name>a</name>\n  <bridge></forward>\n</network>", 3, "Opening and ending tag mismatch"),
        ("<network>\n  <name>a & b</name>\n</network>", 2, "xmlParseEntityRef: no name"),
        ("<network>\n  <bridge name='x/>\n</network>", 3, "Unescaped '<' not allowed in attributes values"),
        ("<network/>\n<domain/>", 2, "Extra content at the end of the document"),
        ("<network>\n  <!-- open comment\n</network>", 3, "Comment not terminated"),
        ("", 1, "Document is empty"),
        ("   \n\n", 3, "Start tag expected, '<' not found"),
        ("just text", 1, "Start tag expected, '<' not found"),
    ]

    @Test(arguments: malformed)
    func malformedDocumentThrowsAtItsLine(xml: String, line: Int, message: String) {
        #expect {
            _ = try XMLDocument(string: xml, source: "t.xml")
        } throws: { error in
            guard let error = error as? XMLError else { return false }
            return error.source == "t.xml" && error.line == line && error.message.hasPrefix(message)
                && !error.message.hasSuffix("\n")
        }
    }

    @Test func errorDescriptionNamesSourceAndLine() {
        #expect(XMLError(source: "a.xml", line: 3, message: "bad").description == "a.xml:3: bad")
        #expect(XMLError(source: "<template nat>", message: "bad").description == "<template nat>: bad")
    }

    @Test(arguments: [
        ("/nonexistent/vnetctl/network.xml", "No such file or directory"),
        ("/", "Is a directory"),
    ])
    func unreadableFileNamesPathAndReason(path: String, reason: String) {
        #expect {
            _ = try XMLDocument(contentsOfFile: path)
        } throws: { error in
            guard let error = error as? XMLError else { return false }
            return error.source == path && error.line == nil && error.message.contains(reason)
                && error.description.hasPrefix("\(path): ")
        }
    }

    @Test func readsAFile() throws {
        let path = Fixtures.validationFile("network-nat-valid.xml")
        let document = try XMLDocument(contentsOfFile: path)
        #expect(document.source == path)
        #expect(try document.string("/network/name") == "vnt-nat")
    }

    @Test func fileErrorsNameTheFile() {
        let path = Fixtures.validationFile("network-malformed-invalid.xml")
        let expected = XMLError(
            source: path, line: 5, message: "Opening and ending tag mismatch: forward line 3 and network")
        #expect(throws: expected) {
            _ = try XMLDocument(contentsOfFile: path)
        }
    }

    @Test func externalEntitiesAreNeitherLoadedNorExpanded() throws {
        let document = try XMLDocument(
            string: """
                <!DOCTYPE network [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <network><name>&secret;</name></network>
                """)
        #expect(try document.string("/network/name")?.contains("root:") == false)
        #expect(!document.serialized().contains("root:"))
    }

    @Test func stringInputIsUTF8WhateverItsDeclarationSays() throws {
        let document = try XMLDocument(string: "<?xml version='1.0' encoding='ISO-8859-1'?><d>café</d>")
        #expect(document.root?.text == "café")
        let marked = try XMLDocument(readingOnly: "\u{FEFF}<?xml version='1.0' encoding='ISO-8859-1'?><d>café</d>", source: "bom")
        #expect(marked.root?.text == "café")
        let undeclared = try XMLDocument(readingOnly: "<d a='ü'>café ☃</d>", source: "plain")
        #expect(undeclared.root?.text == "café ☃" && undeclared.root?.attribute("a") == "ü")
    }

    @Test func bytesFollowTheDeclaredEncoding() throws {
        let bytes = Array("<?xml version='1.0' encoding='ISO-8859-1'?><d>caf".utf8) + [0xE9] + Array("</d>".utf8)
        let document = try XMLDocument(bytes: bytes, source: "latin1.xml")
        #expect(document.root?.text == "café")
    }

    @Test func keepsLineNumbersPast65535() throws {
        let xml = "<network>" + String(repeating: "\n", count: 70_000) + "<name>far</name></network>"
        let document = try XMLDocument(string: xml)
        #expect(try document.firstElement("/network/name")?.line == 70_001)
        #expect {
            _ = try XMLDocument(string: xml + "\n<extra/>")
        } throws: { ($0 as? XMLError)?.line == 70_002 }
    }
}
