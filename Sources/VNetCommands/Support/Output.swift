import Foundation
import VNetCore

/// Writes command results to stdout as text or JSON.
///
/// Every JSON result is one object with `"schemaVersion"` beside its fields (docs/json.md); a
/// list is the value of a named field. Dates are ISO 8601 strings.
enum Output {
    /// The version of the JSON shapes; it grows when a field is renamed or removed, not when one is added.
    static let schemaVersion = 2

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// Prints `value` (a struct of named fields) as JSON when `json` is set, else the text `render` returns.
    static func emit<Value: Encodable>(_ value: Value, json: Bool, render: () -> String) {
        if json {
            printJSON(value)
        } else {
            let text = render()
            if !text.isEmpty { print(text) }
        }
    }

    /// Prints a list as JSON, as the field `key` of the result object, when `json` is set; else the
    /// text `render` returns.
    static func emit<Element: Encodable>(_ values: [Element], key: String, json: Bool, render: () -> String) {
        emit([key: values], json: json, render: render)
    }

    /// Prints `value`'s fields and `"schemaVersion"` as one JSON object.
    static func printJSON<Value: Encodable>(_ value: Value) {
        print(json(value))
    }

    /// `value`'s fields and `"schemaVersion"` as one JSON object.
    static func json<Value: Encodable>(_ value: Value) -> String {
        // Encoding plain value types with string keys cannot fail.
        let data = (try? encoder.encode(Versioned(value: value))) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A result's own fields with `"schemaVersion"` added at the same level.
    private struct Versioned<Value: Encodable>: Encodable {
        enum Key: String, CodingKey { case schemaVersion }
        var value: Value

        func encode(to encoder: any Encoder) throws {
            try value.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(Output.schemaVersion, forKey: .schemaVersion)
        }
    }
}

/// A text table with left-aligned columns, as `virsh list` prints them.
struct Table {
    var headers: [String]
    var rows: [[String]]

    var rendered: String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map(padded).joined(separator: "  ").trimmingWhitespace()
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// `cell` cut or padded with spaces to `width` UTF-16 code units, as NSString's
    /// `padding(toLength:withPad:startingAt:)` does.
    private func padded(_ cell: String, _ width: Int) -> String {
        let length = cell.utf16.count
        if length < width { return cell + String(repeating: " ", count: width - length) }
        return length == width ? cell : String(decoding: Array(cell.utf16.prefix(width)), as: UTF16.self)
    }
}
