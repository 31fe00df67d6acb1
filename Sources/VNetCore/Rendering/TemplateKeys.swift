import Foundation

/// The keys `--set KEY=VALUE` may give a template: the names its Mustache tags use.
///
/// A key no tag uses would be ignored silently, so it is refused with the nearest known key.
public enum TemplateKeys {
    /// The settings vnetctl reads itself for a template that uses `disk.base` (the overlay's pool,
    /// a transient disk instead of an overlay).
    static let diskSettings = ["disk.pool", "disk.transient"]

    /// Every name a tag of `text` uses (`{{name}}`, `{{#disk.seed}}`, `{{^x}}`), sorted, without
    /// comments, partials and the implicit iterator `{{.}}`.
    public static func names(in text: String) -> [String] {
        var names = Set<String>()
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            var tag = rest[open.upperBound..<close.lowerBound]
            rest = rest[close.upperBound...]
            if tag.first == "{", rest.first == "}" { rest = rest.dropFirst() }
            guard let sigil = tag.first, !"!>=".contains(sigil) else { continue }
            if "#^/&{".contains(sigil) { tag = tag.dropFirst() }
            let name = tag.trimmingWhitespace()
            if !name.isEmpty, name != "." { names.insert(name) }
        }
        return names.sorted()
    }

    /// The keys `--set` accepts for `source`.
    public static func settable(for source: TemplateLibrary.Source) -> [String] {
        let names = names(in: source.text)
        return (names + (names.contains("disk.base") ? diskSettings : [])).sorted()
    }

    /// Refuses a setting whose key `source` does not use, naming the nearest key it does.
    public static func check(_ settings: [String: String], against source: TemplateLibrary.Source) throws(VNetError) {
        let known = settable(for: source)
        for key in settings.keys.sorted() where !known.contains(key) {
            let hint = TopologyNode.closest(to: key, in: known).map { "did you mean '\($0)'? " } ?? ""
            throw .invalid(
                .setting, "\(key): template \(source.name) uses no such key; \(hint)its keys: \(known.joined(separator: ", "))")
        }
    }
}
