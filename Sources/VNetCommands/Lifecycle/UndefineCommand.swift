import ArgumentParser
import VNetCore

/// `vnetctl undefine network|vm NAME`: stops the object first when it runs.
struct UndefineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undefine",
        abstract: "Stop (if running) and undefine a network or VM (with the VM's address reservations).")

    @Argument(help: "network or vm.")
    var kind: ObjectKind

    @Argument(help: "The network's or VM's name.")
    var name: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let connection = try global.connection()
        switch kind {
        case .network: try NetworkRemover.remove(try LibvirtLookup.network(named: name, on: connection), on: connection)
        case .vm: try VMRemover.remove(try LibvirtLookup.domain(named: name, on: connection), on: connection)
        }
        Output.emit(LifecycleReport(kind: kind, name: name, action: "undefined"), json: global.json) {
            "undefined \(kind) \(name)"
        }
    }
}
