import ArgumentParser
import VNetCore

/// `vnetctl dumpxml network|vm NAME`: an object's XML as libvirt holds it.
struct DumpXMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dumpxml",
        abstract: "Print the XML of a network or VM, as libvirt holds it.")

    @Argument(help: "network or vm.")
    var kind: ObjectKind

    @Argument(help: "The network's or VM's name.", completion: Completions.objects)
    var name: String

    @Flag(help: "The saved (inactive) config rather than the running one.")
    var inactive = false

    @OptionGroup var global: GlobalOptions

    private struct Dump: Encodable {
        var kind: ObjectKind
        var name: String
        var xml: String
    }

    func run() throws {
        let connection = try global.connection(readOnly: true)
        let xml = switch kind {
        case .network: try LibvirtLookup.network(named: name, on: connection).xml(inactive: inactive)
        case .vm: try LibvirtLookup.domain(named: name, on: connection).xml(inactive: inactive)
        }
        Output.emit(Dump(kind: kind, name: name, xml: xml), json: global.json) {
            xml.hasSuffix("\n") ? String(xml.dropLast()) : xml
        }
    }
}
