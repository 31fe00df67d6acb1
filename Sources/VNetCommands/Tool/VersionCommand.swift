import ArgumentParser
import Libvirt
import VNetCore

/// `vnetctl version`: the tool's, libvirt library's and daemon's versions.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show the versions of vnetctl, the libvirt library and the libvirt daemon.")

    @OptionGroup var global: GlobalOptions

    private struct Report: Encodable {
        var vnetctl: String
        var library: String
        var uri: String
        var daemon: String
        var hypervisor: String?
    }

    func run() throws {
        let connection = try global.connection(readOnly: true)
        let report = Report(
            vnetctl: ToolInfo.version,
            library: try Connection.libraryVersion().description,
            uri: try connection.uri,
            daemon: try connection.daemonVersion().description,
            hypervisor: try connection.hypervisorVersion()?.description)
        Output.emit(report, json: global.json) {
            var lines = [
                "vnetctl  \(report.vnetctl)",
                "libvirt  \(report.library) (library)",
                "libvirt  \(report.daemon) (daemon at \(report.uri))",
            ]
            if let hypervisor = report.hypervisor { lines.append("hypervisor  \(hypervisor)") }
            return lines.joined(separator: "\n")
        }
    }
}
