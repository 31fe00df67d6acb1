import Foundation
import LibXML
import Testing

/// Every file in `Fixtures/validate` against libvirt's schemas, and against `virt-xml-validate`.
///
/// A file's name says its schema (`network-…`, `domain-…`) and its verdict (`…-valid.xml`, `…-invalid.xml`).
@Suite("RelaxNG fixture corpus")
struct RelaxNGFixtureTests {
    static let virtXMLValidate = "/usr/bin/virt-xml-validate"

    /// The line libxml2 reports first for each invalid fixture.
    ///
    /// A mistake inside `<devices>` or in an attribute libvirt allows in several places is
    /// reported on the enclosing element: libxml2 loses the exact node while backtracking.
    static let firstErrorLines: [String: Int] = [
        "network-bad-forward-mode-invalid.xml": 3,
        "network-stp-maybe-invalid.xml": 4,
        "network-missing-name-invalid.xml": 1,
        "network-unknown-element-invalid.xml": 4,
        "network-bad-host-mac-invalid.xml": 7,
        "network-bad-ip-address-invalid.xml": 4,
        "network-malformed-invalid.xml": 5,
        "network-bad-mtu-invalid.xml": 4,
        "network-bad-dhcp-range-invalid.xml": 6,
        "domain-bad-boot-device-invalid.xml": 5,
        "domain-bad-mac-invalid.xml": 7,
        "domain-unknown-interface-type-invalid.xml": 7,
        "domain-missing-name-invalid.xml": 1,
        "domain-bad-virt-type-invalid.xml": 1,
        "domain-memory-not-number-invalid.xml": 3,
        "domain-bad-on-crash-invalid.xml": 5,
        "domain-malformed-invalid.xml": 3,
    ]

    struct Verdict {
        var schema: String
        /// Empty when the file is valid; the parse error alone when it is not well-formed.
        var diagnostics: [XMLDiagnostic]
        var wellFormed: Bool
    }

    static func verdict(for name: String) throws -> Verdict {
        let schema = try #require(["network", "domain"].first { name.hasPrefix("\($0)-") }, "\(name) names no schema")
        let document: XMLDocument
        do {
            document = try XMLDocument(contentsOfFile: Fixtures.validationFile(name))
        } catch {
            let problem = XMLDiagnostic(line: error.line, message: error.message)
            return Verdict(schema: schema, diagnostics: [problem], wellFormed: false)
        }
        #expect(document.root?.name == schema, "\(name) does not have a <\(schema)> root element")
        let diagnostics = try RelaxNGSchema.libvirt(schema).validate(document)
        return Verdict(schema: schema, diagnostics: diagnostics, wellFormed: true)
    }

    @Test func corpusCoversBothSchemasAndVerdicts() {
        let files = Fixtures.validationFiles
        #expect(files.count >= 24)
        for schema in ["network", "domain"] {
            #expect(files.filter { $0.hasPrefix("\(schema)-") && $0.hasSuffix("-valid.xml") }.count >= 5)
            #expect(files.filter { $0.hasPrefix("\(schema)-") && $0.hasSuffix("-invalid.xml") }.count >= 5)
        }
        #expect(Set(files.filter { $0.hasSuffix("-invalid.xml") }) == Set(Self.firstErrorLines.keys))
    }

    @Test(arguments: Fixtures.validationFiles)
    func verdictMatchesTheFileName(name: String) throws {
        let expectValid = name.hasSuffix("-valid.xml")
        #expect(expectValid || name.hasSuffix("-invalid.xml"), "\(name) must end in -valid.xml or -invalid.xml")
        let verdict = try Self.verdict(for: name)
        #expect(verdict.diagnostics.isEmpty == expectValid, "\(name): \(verdict.diagnostics)")
    }

    @Test(arguments: Fixtures.validationFiles)
    func verdictMatchesVirtXMLValidate(name: String) throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.virtXMLValidate),
            "\(Self.virtXMLValidate) is not installed; install libvirt-clients to compare verdicts with libvirt's own")
        let verdict = try Self.verdict(for: name)
        let process = Process()
        process.executableURL = URL(filePath: Self.virtXMLValidate)
        process.arguments = [Fixtures.validationFile(name), verdict.schema]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(
            (process.terminationStatus == 0) == verdict.diagnostics.isEmpty,
            "virt-xml-validate exited \(process.terminationStatus), we found \(verdict.diagnostics):\n\(text)")
    }

    @Test(arguments: Fixtures.validationFiles.filter { $0.hasSuffix("-invalid.xml") })
    func everyProblemHasALine(name: String) throws {
        let verdict = try Self.verdict(for: name)
        #expect(!verdict.diagnostics.isEmpty)
        for diagnostic in verdict.diagnostics {
            #expect((diagnostic.line ?? 0) > 0, "\(name): \(diagnostic) has no line")
        }
        #expect(verdict.diagnostics.first?.line == Self.firstErrorLines[name], "\(name): \(verdict.diagnostics)")
    }

    @Test func messagesAreLibxml2s() throws {
        let stp = try Self.verdict(for: "network-unknown-element-invalid.xml")
        #expect(stp.diagnostics == [XMLDiagnostic(line: 4, message: "Element network has extra content: firewall")])
        let mac = try Self.verdict(for: "network-bad-host-mac-invalid.xml")
        #expect(mac.diagnostics.first == XMLDiagnostic(line: 7, message: "Invalid attribute mac for element host"))
        #expect(mac.diagnostics.contains(XMLDiagnostic(line: 7, message: "Extra element host in interleave")))
        let memory = try Self.verdict(for: "domain-memory-not-number-invalid.xml")
        #expect(
            memory.diagnostics.first == XMLDiagnostic(line: 3, message: "Type unsignedLong doesn't allow value 'lots'"))
    }
}
