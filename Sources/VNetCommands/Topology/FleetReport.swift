import VNetCore

/// What `apply` and `teardown` print for a file with `hosts:`: each host's report under its name,
/// then which hosts converged and which failed.
struct FleetReport: Encodable {
    /// One host's part of the report.
    struct Host: Encodable {
        var name: String
        /// The URI the host was reached through.
        var uri: String?
        var status: FleetHostResult.Status
        var changed: Int
        var actions: [TopologyAction]
        /// What could not be checked on the remote host (its addresses and routes).
        var unchecked: [String]
        /// Why the host failed; absent unless `status` is `failed`.
        var error: String?
    }

    var hosts: [Host]
    var check: Bool
    var changed: Int
    var converged: [String]
    var failed: [String]

    init(_ results: [FleetHostResult], check: Bool) {
        hosts = results.map { result in
            Host(name: result.host.name, uri: result.host.uri, status: result.status, changed: result.actions.filter(\.changed).count,
                 actions: result.actions, unchecked: result.unchecked, error: result.error?.commandLineMessage)
        }
        self.check = check
        changed = hosts.map(\.changed).reduce(0, +)
        converged = hosts.filter { $0.status != .failed }.map(\.name)
        failed = hosts.filter { $0.status == .failed }.map(\.name)
    }

    /// The report, each host's object lines indented under its own line; with `diff`, each changing
    /// object's settings diff under it.
    func text(diff: Bool, command: String) -> String {
        var lines: [String] = []
        for host in hosts {
            let status = host.status == .failed ? "failed: \(host.error ?? "")" : host.status.rawValue
            lines.append("host \(host.name) (\(host.uri ?? "default URI")): \(status)")
            // A failed host's actions are its plan, made only up to the failure: the next run reports what is left.
            guard host.status != .failed else { continue }
            var report = TopologyReport(actions: host.actions, check: check)
            report.unchecked = host.unchecked
            lines += (diff ? report.diffText : report.text).split(separator: "\n").map { "  \($0)" }
        }
        let verb = check ? "checked" : "converged"
        var summary = "\(converged.count) of \(hosts.count) hosts \(verb)"
        if !converged.isEmpty { summary += " (\(converged.joined(separator: ", ")))" }
        if !failed.isEmpty {
            summary += "; failed: \(failed.joined(separator: ", ")); run \(command) again when \(failed.count == 1 ? "it is" : "they are") "
                + "reachable to converge the rest"
        }
        return (lines + [summary]).joined(separator: "\n")
    }
}
