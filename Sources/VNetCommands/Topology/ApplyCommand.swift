import ArgumentParser
import Foundation
import VNetCore

/// `vnetctl apply -f FILE [--check]`: converges the networks and VMs of a topology file.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or update what a topology file (YAML or JSON) describes; a second run changes nothing.",
        discussion: """
            Each object is compared with its saved and its running config: new objects are created,
            reservations and DHCP ranges are updated live (saved and running config together), and changes
            that need a network restart (subnet, model, bridge, forward) are reported and refused with exit 2
            unless --allow-restart is given.
            The whole file is checked before the first change. --check reports and changes nothing.
            """)

    @Option(name: .shortAndLong, help: "The topology file.")
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

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let topology = try TopologyParser.parse(file: file)
        let connection = try global.connection(readOnly: check)
        // On a terminal, a line per object while the changes are made; the report follows.
        let onTerminal = !global.json && isatty(STDERR_FILENO) == 1
        let plan = try TopologyApplier.converge(
            topology, on: connection, check: check, prune: prune, allowRestart: allowRestart
        ) { step in
            if onTerminal { FileHandle.standardError.write(Data("… \(step)\n".utf8)) }
        }
        if !check, topology.networks.contains(where: { !$0.spec.forwards.isEmpty }) { ForwardsHookNote.install(on: connection) }
        let report = TopologyReport(actions: plan.actions, check: check)
        Output.emit(report, json: global.json) { diff ? report.diffText : report.text }
        if check, plan.needsRestart { throw ExitCode(2) }
    }
}

/// `vnetctl teardown -f FILE`: stops and undefines what a topology file names, VMs first.
struct TeardownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teardown",
        abstract: "Stop and undefine the VMs (with their reservations) and networks a topology file names, nothing else.")

    @Option(name: .shortAndLong, help: "The topology file.")
    var file: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let topology = try TopologyParser.parse(file: file)
        let actions = try TopologyTeardown.teardown(topology, on: try global.connection())
        let report = TopologyReport(actions: actions, check: false)
        Output.emit(report, json: global.json) { report.text }
    }
}

/// What `apply` and `teardown` print: one line per object and a summary.
struct TopologyReport: Encodable {
    var actions: [TopologyAction]
    var check: Bool
    var changed: Int

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
        let summary = [TopologyAction.Outcome.created, .updatedLive, .restarted, .restartNeeded, .unchanged, .removed]
            .compactMap { outcome in counts[outcome].map { "\($0) \(outcome.rawValue)" } }
        let verb = check ? "would change" : "changed"
        return (actions.map(\.line) + ["\(changed) \(verb)" + (summary.isEmpty ? "" : " (\(summary.joined(separator: ", ")))")])
            .joined(separator: "\n")
    }
}
