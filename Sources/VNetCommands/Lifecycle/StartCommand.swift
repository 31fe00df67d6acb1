import ArgumentParser
import VNetCore

/// `vnetctl start network|vm NAME`.
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a network or VM.")

    @Argument(help: "network or vm.")
    var kind: ObjectKind

    @Argument(help: "The network's or VM's name.", completion: Completions.objects)
    var name: String

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let connection = try global.connection()
        switch kind {
        case .network:
            try NetworkStarter.start(try LibvirtLookup.network(named: name, on: connection), on: connection, firewall: global.firewall)
        case .vm: try LibvirtLookup.domain(named: name, on: connection).start()
        }
        Output.emit(LifecycleReport(kind: kind, name: name, action: "started"), json: global.json) {
            "started \(kind) \(name)"
        }
    }
}

/// What `start`, `stop` and `undefine` report.
struct LifecycleReport: Encodable {
    var kind: ObjectKind
    var name: String
    var action: String
}
