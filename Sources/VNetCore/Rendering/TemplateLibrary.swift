import Foundation

/// The XML templates vnetctl ships, and users' own template files.
///
/// Shipped templates live in `Templates/network/NAME.xml.mustache` and `Templates/domain/…`. They
/// are read from a directory when there is one — `VNETCTL_TEMPLATES`, the copy SwiftPM puts beside
/// the binary (`vnetctl_VNetCore.resources`), or `../share/vnetctl/templates` — and otherwise from
/// the copies built into the binary, so a vnetctl copied on its own (an Ansible module) works.
public struct TemplateLibrary: Sendable {
    /// The kinds of object a template renders.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case network, domain
    }

    /// One template: its name as commands take it and the file it is read from
    /// (`built-in:network/nat.xml.mustache` for a template built into the binary).
    public struct Entry: Sendable, Codable, Equatable {
        public var kind: Kind
        public var name: String
        public var path: String
    }

    /// A template's text, loaded, with where it came from for error messages.
    public struct Source: Sendable, Equatable {
        public var name: String
        public var path: String
        public var text: String

        public init(name: String, path: String, text: String) {
            self.name = name
            self.path = path
            self.text = text
        }
    }

    public static let fileExtension = ".xml.mustache"
    /// How the paths of built-in templates begin.
    public static let builtInPrefix = "built-in:"

    /// The directory the templates are read from; nil for the templates built into the binary.
    public var directory: URL?

    public init(directory: URL) {
        self.directory = directory
    }

    private init() {
        directory = nil
    }

    /// The templates built into the binary, the same files as the shipped directory.
    public static let builtIn = TemplateLibrary()

    /// The shipped library: `VNETCTL_TEMPLATES` when set (it must hold `network/`), else the first
    /// of the resources beside the executable and `../share/vnetctl/templates` next to it, else the
    /// templates built into the binary.
    public static func shipped() throws(VNetError) -> TemplateLibrary {
        if let override = Environment.value("VNETCTL_TEMPLATES") {
            let directory = URL(fileURLWithPath: override)
            guard isDirectory(directory.appendingPathComponent(Kind.network.rawValue)) else {
                throw .invalidInput(
                    "VNETCTL_TEMPLATES=\(override) has no network/ folder of templates; "
                        + "point it at a folder holding network/ and domain/, or unset it to use the built-in ones")
            }
            return TemplateLibrary(directory: directory.standardizedFileURL)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let candidates = [
            executable.appendingPathComponent("vnetctl_VNetCore.resources/Templates"),
            executable.appendingPathComponent("../share/vnetctl/templates"),
        ]
        guard let found = candidates.first(where: { isDirectory($0.appendingPathComponent(Kind.network.rawValue)) }) else {
            return builtIn
        }
        return TemplateLibrary(directory: found.standardizedFileURL)
    }

    /// Every shipped template of `kind`, sorted by name.
    public func entries(_ kind: Kind) -> [Entry] {
        let files: [String]
        if let directory {
            files = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(kind.rawValue).path)) ?? []
        } else {
            files = BuiltInTemplates.files.keys.filter { $0.hasPrefix(kind.rawValue + "/") }.map { String($0.dropFirst(kind.rawValue.count + 1)) }
        }
        return files.filter { $0.hasSuffix(Self.fileExtension) }.sorted().map { file in
            let relative = kind.rawValue + "/" + file
            return Entry(
                kind: kind, name: String(file.dropLast(Self.fileExtension.count)),
                path: directory.map { $0.appendingPathComponent(relative).path } ?? Self.builtInPrefix + relative)
        }
    }

    /// Loads the shipped template `nameOrPath`, or the file it names when it contains a `/` or
    /// ends in `.mustache`.
    public func source(_ kind: Kind, _ nameOrPath: String) throws(VNetError) -> Source {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".mustache") {
            return try Self.load(path: nameOrPath, name: nameOrPath)
        }
        guard let entry = entries(kind).first(where: { $0.name == nameOrPath }) else {
            let known = entries(kind).map(\.name).joined(separator: ", ")
            throw .invalidInput(
                "no \(kind.rawValue) template named '\(nameOrPath)'; shipped ones are \(known), "
                    + "or give the path of your own")
        }
        if directory == nil, let text = BuiltInTemplates.files[String(entry.path.dropFirst(Self.builtInPrefix.count))] {
            return Source(name: entry.name, path: entry.path, text: text)
        }
        return try Self.load(path: entry.path, name: entry.name)
    }

    private static func load(path: String, name: String) throws(VNetError) -> Source {
        Source(name: name, path: path, text: try BoundedFile.text(path, as: .template))
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
