import ArgumentParser
import VNetCore

/// `vnetctl validate FILE...`: checks libvirt XML against libvirt's schemas, as virt-xml-validate does.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate libvirt XML files against libvirt's RelaxNG schemas.",
        discussion: """
            The schema is picked from each file's root element (<network>, <domain>, ...). \
            Each problem is printed as FILE:LINE: message. Exits 1 when any file is invalid.
            """)

    @Argument(help: "The XML files to check.", completion: .file(extensions: ["xml"]))
    var files: [String]

    @Option(help: "Check every file against this schema instead of the one its root element names.")
    var schema: LibvirtSchema?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one XML file to validate") }
    }

    func run() throws {
        let reports = try files.map { try XMLValidator.validate(file: $0, as: schema) }
        Output.emit(reports, key: "files", json: global.json) {
            reports.flatMap { report in
                report.valid ? ["\(report.file): valid \(report.schema?.rawValue ?? "")"] : report.lines
            }.joined(separator: "\n")
        }
        if reports.contains(where: { !$0.valid }) { throw ExitCode(1) }
    }
}

extension LibvirtSchema: ExpressibleByArgument {}
