import Foundation
import Testing
import TestSupport

/// Help text is whole paragraphs that argument-parser wraps to the terminal: no abstract,
/// discussion or option help breaks a line by hand (paragraphs are separated by a blank line).
@Suite(.onTestThreads) struct HelpTextTests {
    /// Every text of the command tree that `--experimental-dump-help` reports, with where it is.
    static func texts() throws -> [(place: String, text: String)] {
        let result = try VNetCtlBinary.run(["--experimental-dump-help"])
        let root = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        var texts: [(String, String)] = []
        func walk(_ command: [String: Any], _ path: String) {
            let name = path.isEmpty ? (command["commandName"] as? String ?? "") : "\(path) \(command["commandName"] as? String ?? "")"
            for key in ["abstract", "discussion"] {
                if let text = command[key] as? String { texts.append(("\(name) \(key)", text)) }
            }
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                for key in ["abstract", "discussion"] {
                    if let text = argument[key] as? String { texts.append(("\(name) \(argument["valueName"] ?? "") \(key)", text)) }
                }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { walk(sub, name) }
        }
        walk(try #require(root?["command"] as? [String: Any]), "")
        return texts
    }

    @Test func noTextBreaksALineMidParagraph() throws {
        let texts = try Self.texts()
        #expect(texts.count > 50)
        for (place, text) in texts {
            let single = text.replacingOccurrences(of: "\n\n", with: "")
            #expect(!single.contains("\n"), "\(place): \(text)")
        }
    }
}
