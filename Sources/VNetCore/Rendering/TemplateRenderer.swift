import LibXML
import Mustache

/// Renders a template with a set of values and checks the result against libvirt's schema.
///
/// Mustache escapes `& < > " '` in every `{{value}}`, so values reach the XML as text and
/// attribute values, never as markup.
public enum TemplateRenderer {
    /// The template values as Mustache takes them: strings, numbers, booleans, arrays, nested dictionaries.
    public typealias Values = [String: Any]

    /// Renders `source` with `values` and parses the output with libxml2.
    public static func render(_ source: TemplateLibrary.Source, values: Values) throws(VNetError) -> XMLDocument {
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: source.text)
        } catch let error as MustacheTemplate.ParserError {
            throw .invalidInput(
                "template \(source.path):\(error.context.lineNumber): \(error.error) in '\(error.context.line)'; "
                    + "fix the template's Mustache syntax")
        } catch {
            throw .invalidInput("template \(source.path): \(error)")
        }
        do {
            return try XMLDocument(string: template.render(values), source: "template \(source.name)")
        } catch {
            let line = error.line.map { " (line \($0) of the rendered output)" } ?? ""
            throw .invalidInput(
                "template \(source.path) does not render to XML\(line): \(error.message); fix the template")
        }
    }

    /// Checks a rendered document against libvirt's `schema` (`network`, `domain`).
    public static func validate(_ document: XMLDocument, templatePath: String, schema: String)
        throws(VNetError)
    {
        let problems: [XMLDiagnostic]
        do {
            problems = try RelaxNGSchema.libvirt(schema).validate(document)
        } catch {
            throw .failure("cannot load libvirt's \(schema) schema: \(VNetError.from(error).message)")
        }
        if let first = problems.first {
            let line = first.line.map { " at line \($0) of the rendered output" } ?? ""
            throw .invalidInput(
                "template \(templatePath) renders XML that libvirt's \(schema).rng refuses\(line): \(first.message); "
                    + "check the template and the values set for it")
        }
    }

    /// What a define says when libvirt's own schema check refused the XML `templatePath` rendered:
    /// invalid input that names the template; `note` says what was undone.
    static func refusedByLibvirt(_ failure: VNetError, templatePath: String, note: String = "") -> VNetError {
        VNetError(
            failure.kind,
            "template \(templatePath) renders XML that libvirt refuses (\(failure.message.oneLine)); "
                + "check the template and the values set for it" + note,
            code: failure.code, cause: failure.cause)
    }

    /// Applies `KEY=VALUE` settings to `values`; a dotted key (`bridge.stp`) reaches a nested value.
    public static func merging(_ settings: [String: String], into values: Values) throws(VNetError) -> Values {
        var merged = values
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.contains(where: \.isEmpty) else {
                throw .invalid(.setting, "\(key)=\(value): the key has an empty part; use KEY or KEY.SUBKEY")
            }
            merged = try setting(value, at: path[...], in: merged, key: key)
        }
        return merged
    }

    private static func setting(_ value: String, at path: ArraySlice<String>, in values: Values, key: String)
        throws(VNetError) -> Values
    {
        var values = values
        let head = path.first!
        if path.count == 1 {
            values[head] = value
            return values
        }
        let nested: Values
        switch values[head] {
        case nil: nested = [:]
        case let dictionary as Values: nested = dictionary
        default:
            throw .invalid(.setting, "\(key): '\(head)' is a single value, not a group; set '\(head)' itself")
        }
        values[head] = try setting(value, at: path.dropFirst(), in: nested, key: key)
        return values
    }
}
