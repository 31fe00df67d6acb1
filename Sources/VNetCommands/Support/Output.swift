import Foundation

/// Writes command results to stdout as text or JSON.
enum Output {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Prints `value` as JSON when `json` is set, else the text `render` returns.
    static func emit<Value: Encodable>(_ value: Value, json: Bool, render: () -> String) {
        if json {
            printJSON(value)
        } else {
            let text = render()
            if !text.isEmpty { print(text) }
        }
    }

    static func printJSON<Value: Encodable>(_ value: Value) {
        // Encoding plain value types with string keys cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        print(String(decoding: data, as: UTF8.self))
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
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
