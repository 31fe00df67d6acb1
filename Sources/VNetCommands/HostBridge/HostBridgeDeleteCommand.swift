import ArgumentParser
import VNetCore

/// `vnetctl host-bridge delete BR`.
struct HostBridgeDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Put a host bridge's addresses and routes back on its uplink, delete it and its config files.",
        discussion: "Refuses while an active libvirt network or a running VM uses the bridge, naming them.")

    @Argument(help: "The bridge's name.", completion: Completions.hostBridges)
    var name: String

    @Flag(name: .customLong("dry-run"), help: "Print the steps and change nothing.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        if !dryRun { try HostBridgeSetup.requireRoot() }
        let connection = try global.connection(readOnly: true)
        let prepared: PreparedHostBridge
        if dryRun {
            prepared = try HostBridgeSetup.prepareDelete(
                name: name, host: try HostFacts.readHostBridgeFacts(), connection: connection)
        } else {
            prepared = try HostLock.withLock(global.lockWait) { () throws(VNetError) in
                let prepared = try HostBridgeSetup.prepareDelete(
                    name: name, host: try HostFacts.readHostBridgeFacts(), connection: connection)
                try HostBridgeSetup.delete(prepared)
                return prepared
            }
        }
        let report = HostBridgeReport(prepared, action: "delete", dryRun: dryRun)
        Output.emit(report, json: global.json) { report.text }
    }
}
