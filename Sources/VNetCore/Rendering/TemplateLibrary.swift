import Foundation

/// The XML templates vnetctl ships, and users' own template files.
///
/// Shipped templates live in `Templates/network/NAME.xml.mustache` and `Templates/domain/…`,
/// copied beside the binary by SwiftPM (`vnetctl_VNetCore.resources`) or installed in
/// `../share/vnetctl/templates`; `VNETCTL_TEMPLATES` overrides both.
public struct TemplateLibrary: Sendable {
    /// The kinds of object a template renders.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case network, domain
    }

    /// One template: its name as commands take it and the file it is read from.
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

    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The shipped library: the first of `VNETCTL_TEMPLATES`, the resources beside the executable,
    /// `../share/vnetctl/templates` next to it, and the source tree this binary was built from.
    public static func shipped() throws(VNetError) -> TemplateLibrary {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["VNETCTL_TEMPLATES"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        candidates += [
            executable.appendingPathComponent("vnetctl_VNetCore.resources/Templates"),
            executable.appendingPathComponent("../share/vnetctl/templates"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Templates"),
        ]
        guard let found = candidates.first(where: { isDirectory($0.appendingPathComponent("network")) }) else {
            throw .failure(
                "cannot find vnetctl's templates (looked in \(candidates.map(\.path).joined(separator: ", "))); "
                    + "install them beside the binary or set VNETCTL_TEMPLATES")
        }
        return TemplateLibrary(directory: found.standardizedFileURL)
    }

    /// Every shipped template of `kind`, sorted by name.
    public func entries(_ kind: Kind) -> [Entry] {
        let folder = directory.appendingPathComponent(kind.rawValue)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(Self.fileExtension) }.sorted().map { file in
            Entry(
                kind: kind, name: String(file.dropLast(Self.fileExtension.count)),
                path: folder.appendingPathComponent(file).path)
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
        return try Self.load(path: entry.path, name: entry.name)
    }

    private static func load(path: String, name: String) throws(VNetError) -> Source {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw .invalidInput("template \(path) \(reason); give the path of a readable template file")
        }
        return Source(name: name, path: path, text: String(decoding: data, as: UTF8.self))
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
