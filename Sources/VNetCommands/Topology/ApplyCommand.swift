import ArgumentParser
import Foundation
import VNetCore

/// `vnetctl apply -f FILE [--check]`: converges the networks and VMs of a topology file.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or update what a topology file (YAML or JSON) describes; a second run changes nothing.",
        discussion: """
            Each object is compared with its saved and its running config: new objects are created, \
            reservations and DHCP ranges are updated live (saved and running config together), and changes \
            that need a network restart (subnet, model, bridge, forward) are reported and refused with exit 2 \
            unless --allow-restart is given. \
            The whole file is checked before the first change. --check reports and changes nothing. \
            A file with hosts: is planned on every host it names before the first change, then the hosts are \
            applied concurrently, each through the URI the file gives it; a host that cannot be reached fails \
            alone (exit 1) and the next apply converges it. --host NAME applies only that host's part, \
            through -c if given.
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

    @Option(help: "Apply only this host's part of a file with hosts: (through -c if given, else the file's URI for it).")
    var host: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let topology = try HostSelection.part(of: try TopologyParser.parse(file: file), host: host)
        if topology.isFleet, host == nil { return try runFleet(topology) }
        let connection = try HostSelection.connection(for: topology, global: global, readOnly: check)
        // On a terminal, a line per object while the changes are made (`[2/5] creating network lab-nat`);
        // the report follows.
        let onTerminal = !global.json && isatty(STDERR_FILENO) == 1
        let plan = try TopologyApplier.converge(
            topology, on: connection, check: check, prune: prune, allowRestart: allowRestart,
            lockWait: global.lockWait
        ) { step, steps, object in
            if onTerminal { StandardStreams.writeError("[\(step)/\(steps)] \(object)\n") }
        }
        ForwardsHookNote.print(plan.notes)
        var report = TopologyReport(actions: plan.actions, check: check)
        report.unchecked = plan.unchecked
        Output.emit(report, json: global.json) { diff ? report.diffText : report.text }
        if check, plan.needsRestart { throw ExitCode(2) }
    }

    /// Every host of the file, concurrently: a report per host, exit 1 when one failed.
    private func runFleet(_ topology: Topology) throws {
        let onTerminal = !global.json && isatty(STDERR_FILENO) == 1
        let results = try FleetApplier.converge(
            topology, check: check, prune: prune, allowRestart: allowRestart, open: HostSelection.opener(readOnly: check),
            lockWait: global.lockWait
        ) { host, step, steps, object in
            if onTerminal { StandardStreams.writeError("[\(host) \(step)/\(steps)] \(object)\n") }
        }
        // The forwards hook goes on this machine only: each host's own vnetctl installs its own.
        ForwardsHookNote.print(Array(Set(results.flatMap(\.notes))).sorted())
        let report = FleetReport(results, check: check)
        Output.emit(report, json: global.json) { report.text(diff: diff, command: "apply") }
        if !report.failed.isEmpty { throw ExitCode(1) }
        if check, results.contains(where: \.needsRestart) { throw ExitCode(2) }
    }
}

/// `vnetctl teardown -f FILE [--check] [--force]`: stops and undefines what a topology file made, VMs first.
struct TeardownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teardown",
        abstract: "Stop and undefine the VMs (with their reservations) and networks a topology file made, nothing else.",
        discussion: """
            Only objects whose vnetctl metadata records the file's topology go. Others of the same name (made \
            with virsh, by another topology or by 'define'), and networks a running VM that stays still uses, \
            are listed as left alone; --force removes them too. --check reports the same and changes nothing. \
            A file with hosts: is torn down on every host it names, concurrently; --host NAME tears down only \
            that host's part.
            """)

    @Option(name: .shortAndLong, help: "The topology file.", completion: Completions.topologyFiles)
    var file: String

    @Flag(help: "Report what teardown would remove; change nothing.")
    var check = false

    @Flag(help: "Also remove objects of the file's names that its topology did not make, and networks in use.")
    var force = false

    @Option(help: "Tear down only this host's part of a file with hosts: (through -c if given, else the file's URI for it).")
    var host: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let topology = try HostSelection.part(of: try TopologyParser.parse(file: file), host: host)
        if topology.isFleet, host == nil {
            let results = try FleetTeardown.teardown(
                topology, force: force, check: check, open: HostSelection.opener(readOnly: check), lockWait: global.lockWait)
            let report = FleetReport(results, check: check)
            Output.emit(report, json: global.json) { report.text(diff: false, command: "teardown") }
            if !report.failed.isEmpty { throw ExitCode(1) }
            return
        }
        let actions = try TopologyTeardown.teardown(
            topology, on: try HostSelection.connection(for: topology, global: global, readOnly: check), force: force, check: check,
            lockWait: global.lockWait)
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
