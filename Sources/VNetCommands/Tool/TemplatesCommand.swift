import ArgumentParser
import VNetCore

/// `vnetctl templates`: the shipped templates, by kind and name, with their files.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "List the shipped network and VM templates.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let library = try TemplateLibrary.shipped()
        let entries = TemplateLibrary.Kind.allCases.flatMap(library.entries)
        Output.emit(entries, key: "templates", json: global.json) {
            Table(headers: ["KIND", "NAME", "FILE"], rows: entries.map { [$0.kind.rawValue, $0.name, $0.path] }).rendered
        }
    }
}
