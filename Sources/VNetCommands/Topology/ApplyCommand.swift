import ArgumentParser
import Foundation
import VNetCore

/// `vnetctl apply -f FILE [--check]`: converges the networks and VMs of a topology file.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or update what a topology file (YAML or JSON) describes; a second run changes nothing.",
        discussion: """
            Each object is compared with its saved and its running config: new objects are created, \
            reservations and DHCP ranges are updated live (saved and running config together), and changes \
            that need a network restart (subnet, model, bridge, forward) are reported and refused with exit 2 \
            unless --allow-restart is given. \
            The whole file is checked before the first change. --check reports and changes nothing.
            """)

    @Option(name: .shortAndLong, help: "The topology file.", completion: Completions.topologyFiles)
    var file: String

    @Flag(help: "Report what apply would do; change nothing.")
    var check = false

    @Flag(help: "Show, per object, the settings that change (-old, +new).")
    var diff = false

    @Flag(help: "Also remove networks and VMs this topology created that the file no longer names.")
    var prune = false

    @Flag(name: .customLong("allow-restart"),
          help: "Make changes that need a network restarted (stop, redefine, start, re-plug running guests).")
    var allowRestart = false

    @Option(help: "Apply only this host's part of a file with hosts: (run on that host; -c defaults to its libvirtd).")
    var host: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let topology = try HostPart.select(host, of: try TopologyParser.parse(file: file))
        let connection = try global.connection(readOnly: check)
        // On a terminal, a line per object while the changes are made (`[2/5] creating network lab-nat`);
        // the report follows.
        let onTerminal = !global.json && isatty(STDERR_FILENO) == 1
        let plan = try TopologyApplier.converge(
            topology, on: connection, check: check, prune: prune, allowRestart: allowRestart
        ) { step, steps, object in
            if onTerminal { FileHandle.standardError.write(Data("[\(step)/\(steps)] \(object)\n".utf8)) }
        }
        if !check, topology.networks.contains(where: { !$0.spec.forwards.isEmpty || $0.overlayLinks?.ownsBridge == false }) {
            ForwardsHookNote.install(on: connection)
        }
        var report = TopologyReport(actions: plan.actions, check: check)
        report.unchecked = plan.unchecked
        Output.emit(report, json: global.json) { diff ? report.diffText : report.text }
        if check, plan.needsRestart { throw ExitCode(2) }
    }
}

/// `vnetctl teardown -f FILE [--check] [--force]`: stops and undefines what a topology file made, VMs first.
struct TeardownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teardown",
        abstract: "Stop and undefine the VMs (with their reservations) and networks a topology file made, nothing else.",
        discussion: """
            Only objects whose vnetctl metadata records the file's topology go. Others of the same name (made \
            with virsh, by another topology or by 'define'), and networks a running VM that stays still uses, \
            are listed as left alone; --force removes them too. --check reports the same and changes nothing.
            """)

    @Option(name: .shortAndLong, help: "The topology file.", completion: Completions.topologyFiles)
    var file: String

    @Flag(help: "Report what teardown would remove; change nothing.")
    var check = false

    @Flag(help: "Also remove objects of the file's names that its topology did not make, and networks in use.")
    var force = false

    @Option(help: "Remove only this host's part of a file with hosts: (run on that host).")
    var host: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let topology = try HostPart.select(host, of: try TopologyParser.parse(file: file))
        let actions = try TopologyTeardown.teardown(
            topology, on: try global.connection(readOnly: check), force: force, check: check)
        let report = TopologyReport(actions: actions, check: check)
        Output.emit(report, json: global.json) { report.text }
    }
}

/// What `apply` and `teardown` print: one line per object and a summary.
struct TopologyReport: Encodable {
    var actions: [TopologyAction]
    var check: Bool
    var changed: Int
    /// What could not be checked on a remote host (its addresses and routes).
    var unchecked: [String] = []

    init(actions: [TopologyAction], check: Bool) {
        self.actions = actions
        self.check = check
        changed = actions.filter(\.changed).count
    }

    /// The report with each changing object's settings diff under its line.
    var diffText: String {
        let lines = text.split(separator: "\n").map(String.init)
        return zip(actions, lines).flatMap { action, line in
            [line] + (action.outcome == .unchanged ? [] : action.diff.map { "    \($0)" })
        }.joined(separator: "\n") + "\n" + (lines.last ?? "")
    }

    var text: String {
        let counts = Dictionary(grouping: actions, by: \.outcome).mapValues(\.count)
        let summary = [TopologyAction.Outcome.created, .updatedLive, .restarted, .restartNeeded, .unchanged, .removed, .leftAlone]
            .compactMap { outcome in counts[outcome].map { "\($0) \(outcome.rawValue)" } }
        let verb = check ? "would change" : "changed"
        let note = unchecked.isEmpty ? [] : ["subnets were not checked against the remote host's \(unchecked.joined(separator: " and ")), which it does not report"]
        return (actions.map(\.line) + note + ["\(changed) \(verb)" + (summary.isEmpty ? "" : " (\(summary.joined(separator: ", ")))")])
            .joined(separator: "\n")
    }
}

/// `--host NAME`: the part of the file on that host, which this command converges through its own connection.
enum HostPart {
    static func select(_ name: String?, of topology: Topology) throws -> Topology {
        guard let name else { return topology }
        guard topology.isFleet, topology.host(named: name) != nil else {
            throw VNetError.invalidInput(
                "--host \(name): \(topology.source) names no such host under hosts:; give one of its hosts: "
                    + (topology.isFleet ? topology.hosts.map(\.name).joined(separator: ", ") : "(it has none)"))
        }
        return topology.part(for: name)
    }
}
