internal import CLibXML2
import Synchronization

/// A compiled RelaxNG schema that validates documents and reports every violation with its line.
///
/// It is `Sendable` because the compiled schema is only read after `init`, and every validation
/// runs in a validation context of its own.
public final class RelaxNGSchema: @unchecked Sendable {
    private let schema: OpaquePointer
    /// The schema file it was compiled from.
    public let path: String

    /// Compiles the schema file at `path` and the files it includes.
    public init(path: String) throws(XMLError) {
        // Parsing the file here, not in libxml2's schema parser, keeps the syntax error and its line.
        let document = try XMLDocument(contentsOfFile: path)
        guard let context = xmlRelaxNGNewDocParserCtxt(document.pointer) else {
            throw XMLError(source: path, message: "cannot create a RelaxNG parser: out of memory")
        }
        defer { xmlRelaxNGFreeParserCtxt(context) }
        let collector = DiagnosticCollector()
        xmlRelaxNGSetParserStructuredErrors(context, { DiagnosticCollector.receive($0, $1) }, collector.opaque)
        let compiled = withExtendedLifetime(collector) { xmlRelaxNGParse(context) }
        guard let compiled else {
            let first = collector.firstError
            throw XMLError(
                source: first?.file ?? path, line: first?.diagnostic.line,
                message: first?.diagnostic.message ?? "not a valid RelaxNG schema")
        }
        schema = compiled
        self.path = path
    }

    deinit {
        xmlRelaxNGFree(schema)
    }

    /// Where libvirt installs its schemas.
    public static var libvirtSchemaDirectory: String { "/usr/share/libvirt/schemas" }

    /// libvirt's schema `name` (`network`, `domain`, …), compiled on first use and shared after.
    public static func libvirt(_ name: String) throws(XMLError) -> RelaxNGSchema {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-")
        guard !name.isEmpty, name.allSatisfy(allowed.contains) else {
            throw XMLError(source: libvirtSchemaDirectory, message: "'\(name)' is not a libvirt schema name")
        }
        return try libvirtSchemas.schema(named: name) { () throws(XMLError) in
            try RelaxNGSchema(path: "\(libvirtSchemaDirectory)/\(name).rng")
        }
    }

    private static let libvirtSchemas = SchemaCache()

    /// Validates `document`; an empty result means it is valid.
    public func validate(_ document: XMLDocument) -> [XMLDiagnostic] {
        LibXMLRuntime.enter()
        guard let context = xmlRelaxNGNewValidCtxt(schema) else {
            return [XMLDiagnostic(line: nil, message: "cannot create a RelaxNG validation context: out of memory")]
        }
        defer { xmlRelaxNGFreeValidCtxt(context) }
        let collector = DiagnosticCollector()
        xmlRelaxNGSetValidStructuredErrors(context, { DiagnosticCollector.receive($0, $1) }, collector.opaque)
        let result = withExtendedLifetime(collector) { xmlRelaxNGValidateDoc(context, document.pointer) }
        if result == 0 {
            return []
        }
        let errors = collector.locatedErrors(in: document.pointer)
        if errors.isEmpty {
            return [XMLDiagnostic(line: nil, message: "the document does not validate against \(path)")]
        }
        return errors
    }
}

/// Compiled schemas by name, each compiled at most once.
private final class SchemaCache: Sendable {
    private let schemas = Mutex<[String: RelaxNGSchema]>([:])

    /// The schema cached as `name`, compiled first while other callers wait.
    func schema(named name: String, compile: () throws(XMLError) -> RelaxNGSchema) throws(XMLError) -> RelaxNGSchema {
        try schemas.withLock { (schemas) throws(XMLError) in
            if let schema = schemas[name] {
                return schema
            }
            let schema = try compile()
            schemas[name] = schema
            return schema
        }
    }
}
