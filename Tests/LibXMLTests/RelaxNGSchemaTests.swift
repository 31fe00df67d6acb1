import Foundation
import LibXML
import Testing

@Suite("RelaxNG schemas")
struct RelaxNGSchemaTests {
    @Test func libvirtSchemasAreCompiledOnce() throws {
        let first = try RelaxNGSchema.libvirt("network")
        let second = try RelaxNGSchema.libvirt("network")
        #expect(first === second)
        #expect(first.path == "\(RelaxNGSchema.libvirtSchemaDirectory)/network.rng")
        #expect(try RelaxNGSchema.libvirt("domain") !== first)
    }

    @Test(arguments: ["", "../network", "network.rng", "Network", "net work"])
    func refusesNamesThatAreNoSchemaFile(name: String) {
        #expect(throws: XMLError.self) { try RelaxNGSchema.libvirt(name) }
    }

    @Test func missingSchemaNamesItsPath() {
        let path = "\(RelaxNGSchema.libvirtSchemaDirectory)/no-such-schema.rng"
        #expect(throws: XMLError(source: path, message: "cannot read the file: No such file or directory")) {
            try RelaxNGSchema.libvirt("no-such-schema")
        }
    }

    @Test(arguments: [
        ("<grammar xmlns='http://relaxng.org/ns/structure/1.0'>\n<start><ref name='missing'/></start></grammar>", 2),
        ("<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'>\n<bogus/>\n</element>", 2),
        ("<element name='a'\n", 2),
        ("", 1),
    ])
    func brokenSchemaThrows(text: String, line: Int) throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "vnetctl-\(UUID().uuidString).rng").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try RelaxNGSchema(path: path)
        } throws: { error in
            guard let error = error as? XMLError else { return false }
            return error.source == path && error.line == line && !error.message.isEmpty
        }
    }

    @Test func compilesASchemaFromAPath() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "vnetctl-\(UUID().uuidString).rng").path
        try """
            <element name="network" xmlns="http://relaxng.org/ns/structure/1.0">
              <attribute name="mode"><choice><value>nat</value><value>route</value></choice></attribute>
            </element>
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = try RelaxNGSchema(path: path)
        #expect(schema.validate(try XMLDocument(string: "<network mode='nat'/>")).isEmpty)
        #expect(
            schema.validate(try XMLDocument(string: "\n<network mode='bridge'/>"))
                == [XMLDiagnostic(line: 2, message: "Element network failed to validate attributes")])
    }

    @Test func validatesConcurrently() async throws {
        let valid = try String(
            contentsOfFile: Fixtures.validationFile("domain-pxe-diskless-valid.xml"), encoding: .utf8)
        let invalid = try String(
            contentsOfFile: Fixtures.validationFile("network-stp-maybe-invalid.xml"), encoding: .utf8)
        let expected = try RelaxNGSchema.libvirt("network").validate(XMLDocument(string: invalid))
        #expect(!expected.isEmpty)

        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let schemas = try (RelaxNGSchema.libvirt("domain"), RelaxNGSchema.libvirt("network"))
                    for round in 0..<10 {
                        let source = "task \(task) round \(round)"
                        guard schemas.0.validate(try XMLDocument(string: valid, source: source)).isEmpty,
                            schemas.1.validate(try XMLDocument(string: invalid, source: source)) == expected
                        else { return false }
                    }
                    return true
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: true, count: 8))
    }
}
