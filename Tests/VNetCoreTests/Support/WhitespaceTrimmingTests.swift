import Foundation
import Testing
import VNetCore

/// `trimmingWhitespace` replaced Foundation's `trimmingCharacters` to keep NSString out of the
/// hot path; these cases hold it to Foundation's answers, Unicode spaces and newlines included.
struct WhitespaceTrimmingTests {
    static let cases = [
        "", " ", "\t\t", "plain", "  both  ", "\tlead", "trail\t", "in side", " \u{00A0}nbsp\u{00A0} ",
        "\u{3000}ideographic\u{2003}", "\nline\n", "\r\n crlf \r\n", "\u{0085}nel\u{2028}", "\u{2029}para",
        " \u{200B}zero-width ", "é ", " 🙂 ", "\u{000B}vt\u{000C}", " a\nb ",
    ]

    @Test(arguments: cases) func trimsAsFoundationDoes(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
        #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text[...].trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
    }

    /// Every scalar on its own: trimmed exactly when Foundation trims it.
    @Test func agreesOnEveryScalar() {
        var differing: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            if text.trimmingWhitespaceAndNewlines().isEmpty != text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                || text.trimmingWhitespace().isEmpty != text.trimmingCharacters(in: .whitespaces).isEmpty {
                differing.append(value)
            }
        }
        #expect(differing.isEmpty, "scalars trimmed differently from Foundation: \(differing.map { String($0, radix: 16) })")
    }
}
