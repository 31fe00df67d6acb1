import FoundationEssentials
import LibXML

/// The verdict on one XML file: well-formed and valid against libvirt's schema, or the reasons not.
public struct ValidationReport: Sendable, Codable, Equatable {
    /// One problem, with the line it is on when libxml2 knows it.
    public struct Problem: Sendable, Codable, Equatable {
        public var line: Int?
        public var message: String
    }

    public var file: String
    /// The schema the file was checked against; nil when it is not well-formed XML.
    public var schema: LibvirtSchema?
    public var problems: [Problem]

    public var valid: Bool { problems.isEmpty }

    /// Each problem as `FILE:LINE: message`, the form compilers and editors understand.
    public var lines: [String] {
        problems.map { problem in
            problem.line.map { "\(file):\($0): \(problem.message)" } ?? "\(file): \(problem.message)"
        }
    }
}

/// Checks libvirt XML files the way `virt-xml-validate` does, against libvirt's installed schemas.
public enum XMLValidator {
    /// Validates the file at `path`, picking the schema from its root element unless one is given.
    ///
    /// A file that is not well-formed is an invalid report; a file that cannot be read, or whose
    /// root element is no libvirt document, is invalid input and throws.
    public static func validate(file path: String, as schema: LibvirtSchema? = nil) throws(VNetError)
        -> ValidationReport
    {
        let bytes = try BoundedFile.read(path, as: .xml)
        let document: XMLDocument
        do {
            document = try XMLDocument(bytes: bytes, source: path)
        } catch {
            return ValidationReport(
                file: path, schema: schema, problems: [.init(line: error.line, message: error.message)])
        }
        let rootName = document.root?.name ?? ""
        guard let chosen = schema ?? LibvirtSchema(rootElement: rootName) else {
            throw .invalidInput(
                "\(path): root element <\(rootName)> is no libvirt document; "
                    + "expected <network>, <domain> or another libvirt object")
        }
        do {
            let problems = try RelaxNGSchema.libvirt(chosen.rawValue).validate(document)
                .map { ValidationReport.Problem(line: $0.line, message: $0.message) }
            return ValidationReport(file: path, schema: chosen, problems: problems)
        } catch {
            throw .failure(
                "cannot load libvirt's \(chosen.rawValue) schema from \(RelaxNGSchema.libvirtSchemaDirectory): "
                    + "\(VNetError.from(error).message); reinstall libvirt0, which ships them")
        }
    }
}
