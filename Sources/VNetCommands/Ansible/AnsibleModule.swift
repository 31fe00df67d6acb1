import Foundation
import VNetCore

/// vnetctl as an Ansible binary module: invoked with one argument, a file of JSON module
/// arguments, it applies (or tears down) a topology and prints one JSON result.
///
/// Arguments: `topology` (inline, the topology file's schema) or `src` (a path), `state`
/// (`present`, `absent`), `uri`, `host` (of a topology with `hosts:`, the host whose part this run
/// converges, typically `{{ inventory_hostname }}`; `uri` defaults to the topology's URI for it), `prune`, `allow_restart`, `force` (`absent` also removes what the
/// topology did not make, and networks running VMs use), `lock_timeout` (seconds to wait for the
/// host lock, as `--lock-timeout`), and Ansible's `_ansible_check_mode`
/// and `_ansible_diff`. The result has `changed`, `failed`, `msg`, `actions` and, in diff mode,
/// `diff` as Ansible's list of before/after pairs. Exit 0 on success, 1 with `failed: true`.
enum AnsibleModule {
    private static let known: Set<String> = ["topology", "src", "state", "uri", "host", "prune", "allow_restart", "force", "lock_timeout"]

    /// The module arguments, when `arguments` is exactly one regular file of at most
    /// `BoundedFile.Kind.moduleArguments`' limit holding a JSON object.
    static func arguments(from arguments: [String]) -> [String: Any]? {
        guard arguments.count == 1, !arguments[0].hasPrefix("-"),
            let bytes = try? BoundedFile.read(arguments[0], as: .moduleArguments),
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { return nil }
        return object
    }

    private struct Result: Encodable {
        struct DiffEntry: Encodable {
            var before_header: String
            var after_header: String
            var before: String
            var after: String
        }

        var changed: Bool
        var failed: Bool
        var msg: String
        var actions: [TopologyAction]
        var diff: [DiffEntry]?
    }

    static func run(_ arguments: [String: Any]) -> Int32 {
        do {
            let result = try execute(arguments)
            Output.printJSON(result)
            return 0
        } catch {
            let msg = message(for: VNetError.from(error), inline: arguments["topology"] != nil)
            Output.printJSON(Result(changed: false, failed: true, msg: msg, actions: []))
            return 1
        }
    }

    /// The `msg` of a failure: a problem with a field of an inline topology names the module
    /// argument (`topology.networks[0].mtu 10 is out of range 68-65535`); a `src` file's, its file and line.
    /// An operation option the message asks for is named by the module's argument (`set allow_restart: true`),
    /// an action by the arguments that do it (`state: absent for vm web`), where the module has them.
    static func message(for error: VNetError, inline: Bool) -> String {
        if error.hasRemedy { return error.worded(by: .ansible) }
        guard inline, let entry = error.entry, error.detail != nil else { return error.message }
        return error.worded(by: .ansible, prefix: "topology.\(entry).")
    }

    private static func execute(_ arguments: [String: Any]) throws(VNetError) -> Result {
        let unknown = arguments.keys.filter { !$0.hasPrefix("_ansible_") && !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw .invalidInput(
                "Unsupported parameters for (vnetctl) module: \(unknown.joined(separator: ", ")); "
                    + "supported: \(known.sorted().joined(separator: ", "))")
        }
        let check = try flag(arguments, "_ansible_check_mode")
        let wantsDiff = try flag(arguments, "_ansible_diff")
        let prune = try flag(arguments, "prune")
        let allowRestart = try flag(arguments, "allow_restart")
        let force = try flag(arguments, "force")
        let wait = HostLock.Wait(seconds: try seconds(arguments, "lock_timeout"), onWait: lockWait)
        let state = try text(arguments, "state") ?? "present"
        guard state == "present" || state == "absent" else {
            throw .invalidInput("state: '\(state)' is not present or absent")
        }
        let file = try topology(arguments)
        let topology: Topology
        if let host = try text(arguments, "host") {
            topology = try file.requirePart(for: host)
        } else if file.isFleet {
            throw .invalidInput(
                "the topology names hosts:, and each host converges its own part: give host: (e.g. \"{{ inventory_hostname }}\")")
        } else {
            topology = file
        }
        let uri = try text(arguments, "uri") ?? (topology.isFleet ? topology.hosts[0].uri : nil)
        let connection = try LibvirtSession.open(uri: uri, readOnly: check)
        let actions: [TopologyAction]
        if state == "absent" {
            actions = try TopologyTeardown.teardown(topology, on: connection, force: force, check: check, lockWait: wait)
        } else {
            let plan = try TopologyApplier.converge(
                topology, on: connection, check: check, prune: prune, allowRestart: allowRestart, lockWait: wait)
            if check, plan.needsRestart {
                let lines = plan.actions.filter { $0.outcome == .restartNeeded }.map(\.line)
                throw .invalidInput(lines.joined(separator: "; "))
            }
            actions = plan.actions
        }
        let changed = actions.contains(where: \.changed)
        let diff = wantsDiff
            ? actions.filter(\.changed).map { action in
                Result.DiffEntry(
                    before_header: "\(action.kind) \(action.name)", after_header: "\(action.kind) \(action.name)",
                    before: action.before.isEmpty ? "" : action.before + "\n",
                    after: action.after.isEmpty ? "" : action.after + "\n")
            } : nil
        var counts = "\(actions.filter(\.changed).count) changed, \(actions.filter { !$0.changed }.count) unchanged"
        let leftAlone = actions.filter { $0.outcome == .leftAlone }.map(\.line)
        if !leftAlone.isEmpty { counts += "; \(leftAlone.joined(separator: "; "))" }
        return Result(changed: changed, failed: false, msg: "\(state == "absent" ? "teardown" : "apply"): \(counts)",
                      actions: actions, diff: diff)
    }

    private static func topology(_ arguments: [String: Any]) throws(VNetError) -> Topology {
        switch (arguments["topology"], try text(arguments, "src")) {
        case (nil, let path?):
            return try TopologyParser.parse(file: path)
        case (let inline?, nil):
            guard JSONSerialization.isValidJSONObject(inline),
                let data = try? JSONSerialization.data(withJSONObject: inline, options: [.prettyPrinted, .sortedKeys])
            else { throw .invalidInput("topology: expected a mapping with networks: and vms:") }
            return try TopologyParser.parse(String(decoding: data, as: UTF8.self), source: "topology")
        case (nil, nil):
            throw .invalidInput("give topology (inline) or src (a topology file)")
        case (_?, _?):
            throw .invalidInput("give either topology or src, not both")
        }
    }

    /// Writes on stderr (which Ansible keeps with the task) the note that the module waits for the
    /// host lock, its option by the module's argument.
    static func lockWait(_ note: OptionRemedy) {
        StandardStreams.writeError("vnetctl: \(note.worded(by: .ansible))\n")
    }

    /// A number of seconds from 0 to 86400 (a day), as `--lock-timeout` takes it: a JSON number or
    /// its text (a boolean is neither).
    private static func seconds(_ arguments: [String: Any], _ key: String) throws(VNetError) -> Double? {
        guard let value = arguments[key], !(value is NSNull) else { return nil }
        let text = "\(value)"
        guard let seconds = Double(text), HostLock.Wait.secondsRange.contains(seconds) else {
            throw .invalidInput("\(key): '\(text)' is not a number of seconds from 0 to 86400")
        }
        return seconds
    }

    private static func flag(_ arguments: [String: Any], _ key: String) throws(VNetError) -> Bool {
        switch arguments[key] {
        case nil: return false
        case let value as Bool: return value
        case let value as String where ["yes", "true", "1", "on"].contains(value.lowercased()): return true
        case let value as String where ["no", "false", "0", "off"].contains(value.lowercased()): return false
        default: throw .invalidInput("\(key): expected a boolean")
        }
    }

    private static func text(_ arguments: [String: Any], _ key: String) throws(VNetError) -> String? {
        switch arguments[key] {
        case nil, is NSNull: return nil
        case let value as String: return value
        default: throw .invalidInput("\(key): expected a string")
        }
    }
}

extension SpecFieldNames {
    /// The Ansible module's names: each field by its topology key, each operation option by the
    /// module's argument, and the actions the module does (removing an object, applying on a
    /// host, running on another host) by how it is asked to; the rest (list, start, stop, host
    /// bridges) keep their neutral wording.
    static let ansible = SpecFieldNames(
        names: TopologyPlanner.fileFieldNames.names, requests: TopologyPlanner.fileFieldNames.requests,
        options: [
            .allowRestart: "set allow_restart: true", .force: "set force: true", .host: "host:",
            .applyOnHost: "the module with host:", .teardownOnHost: "the module with state: absent, host:",
            .qemuVirtType: "set: {virtType: qemu}", .lockTimeout: "lock_timeout",
        ],
        actions: [
            .init(.undefine, .network): "state: absent for network", .init(.undefine, .vm): "state: absent for vm",
            .init(.apply): "the module", .init(.run): "run the module",
        ])
}
