import ArgumentParser
import Foundation
import Graphviz
import VNetCore

/// `vnetctl graph [-f FILE] [--format dot|svg|png] [-o FILE]`: a picture of the host's networks and VMs.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the host's uplinks, bridges, networks and VMs (or a topology file's plan) as DOT, SVG or PNG.",
        discussion: """
            Each libvirt network is a box in its model's colour (isolated grey, routed blue, nat green, bridged \
            orange, open purple) holding its bridge, host address, DHCP range and the taps of running VMs; each VM \
            lists its NICs' MACs and addresses, joined to their bridge (dashed while the VM is not running, since \
            a tap exists only then); nat and routed networks lead to the uplink they leave by, and port forwards \
            are red arrows from the uplink to the guest. With -f, the picture is of the file's networks and VMs \
            as apply would make them, before it runs. SVG and PNG are rendered by Graphviz's library (libgvc).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dot, svg, png
    }

    @Option(name: .shortAndLong, help: "Draw this topology file's plan instead of the host as it is.",
            completion: Completions.topologyFiles)
    var file: String?

    @Option(help: "dot, svg or png (default: dot, or the -o file's extension).")
    var format: Format?

    @Option(name: .shortAndLong, help: "Write the picture to this file instead of stdout (png needs it).",
            completion: .file(extensions: ["dot", "svg", "png"]))
    var output: String?

    @OptionGroup var global: GlobalOptions

    /// What `graph --json` prints: the format, the file written or the picture's text, and what it shows.
    struct Report: Encodable {
        var format: String
        var file: String?
        var graph: String?
        var networks: [String]
        var vms: [String]
    }

    var chosenFormat: Format {
        format ?? output.flatMap { Format(rawValue: String($0.split(separator: ".").last ?? "").lowercased()) } ?? .dot
    }

    func validate() throws {
        if chosenFormat == .png, output == nil {
            throw ValidationError("png is binary: give -o FILE.png, or --format svg or dot for stdout")
        }
    }

    func run() throws {
        let connection = try global.connection(readOnly: true)
        let picture: HostPicture
        let title: String
        let host = try connection.hostname
        if let file {
            let topology = try TopologyParser.parse(file: file)
            picture = try HostPicture.planned(topology, on: connection)
            title = "\(host): topology \(topology.name), as apply makes it"
        } else {
            picture = try HostPicture.read(connection)
            title = "\(host) (\(try connection.uri))"
        }
        let dot = HostGraph.dot(picture, title: title)
        let bytes: [UInt8]
        do {
            bytes = chosenFormat == .dot ? Array(dot.utf8) : try Graphviz.render(dot: dot, format: chosenFormat.rawValue)
        } catch {
            throw VNetError.failure(error.message)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                throw VNetError.failure("cannot write \(output); check that its directory exists and is writable")
            }
        }
        let report = Report(
            format: chosenFormat.rawValue, file: output, graph: output == nil ? String(decoding: bytes, as: UTF8.self) : nil,
            networks: picture.networks.map(\.name), vms: picture.vms.map(\.name))
        Output.emit(report, json: global.json) {
            output.map { "wrote \($0) (\(chosenFormat.rawValue), \(picture.networks.count) network(s), \(picture.vms.count) VM(s))" }
                ?? String(decoding: bytes, as: UTF8.self).trimmingTrailingNewline
        }
    }
}
