import Foundation
import PackagePlugin

/// Builds the target's `Templates/**/*.mustache` into the binary (`BuiltInTemplates.swift`), so a
/// vnetctl copied anywhere on its own — as Ansible does with a binary module — still has them.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = target.directoryURL.appending(path: "Templates")
        let files = (FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects ?? [])
            .compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(".mustache") }
            .sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInTemplates.swift")
        return [
            .buildCommand(
                displayName: "Building \(files.count) templates into \(target.name)",
                executable: try context.tool(named: "embed-templates").url,
                arguments: [root.path, output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}
