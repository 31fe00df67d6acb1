import ArgumentParser
import VNetCore

/// `vnetctl host-bridge create BR [--uplink DEV] …`.
struct HostBridgeCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a host bridge, move an uplink's addresses and routes to it, and persist it.",
        discussion: """
            Order: the bridge is created with the uplink's MAC (STP off, forward delay 0 unless given) \
            and brought up, gets the uplink's addresses, takes the uplink as its port, gets the routes \
            (the default route included) before they leave the uplink, and only then do the addresses \
            leave the uplink. If any step fails, the steps done are undone in reverse. \
            --persist defaults to the network manager detected on the host.
            """)

    @Argument(help: "The bridge's name (at most 15 characters).")
    var name: String

    @Option(help: "The NIC to enslave; its addresses and routes move to the bridge.")
    var uplink: String?

    @Option(help: "Spanning Tree Protocol: on or off (default off).")
    var stp: Switch = .off

    @Option(name: .customLong("forward-delay"), help: "Forward delay in seconds (default 0).")
    var forwardDelay: Int = 0

    @Option(help: "The bridge's MTU (default: the uplink's).")
    var mtu: Int?

    @Option(help: "Persistent config: networkd, ifupdown, nm, ifcfg or none (default: detected).")
    var persist: String?

    @Flag(name: .customLong("dry-run"), help: "Print the steps and the config files, and change nothing.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        if !dryRun { try HostBridgeSetup.requireRoot() }
        let prepare = { () throws(VNetError) in
            try HostBridgeSetup.prepareCreate(
                name: name, uplink: uplink, stp: stp == .on, forwardDelay: forwardDelay, mtu: mtu, persist: persist,
                host: try HostFacts.readHostBridgeFacts())
        }
        let prepared: PreparedHostBridge
        var service: String?
        if dryRun {
            prepared = try prepare()
        } else {
            let created = try HostLock.withLock(global.lockWait) { () throws(VNetError) -> (PreparedHostBridge, String?) in
                let prepared = try prepare()
                return (prepared, try HostBridgeSetup.create(prepared))
            }
            prepared = created.0
            service = created.1
        }
        var report = HostBridgeReport(prepared, action: "create", dryRun: dryRun)
        report.service = service
        Output.emit(report, json: global.json) { report.text }
    }
}

/// What `host-bridge create` and `delete` did, or would do.
struct HostBridgeReport: Encodable {
    var bridge: String
    var uplink: String?
    var action: String
    var dryRun: Bool
    var steps: [String]
    var persistence: String?
    var persistenceDetected: Bool?
    var files: [PreparedHostBridge.File]
    /// What NetworkManager or systemd-networkd did with the files written (create only).
    var service: String?

    init(_ prepared: PreparedHostBridge, action: String, dryRun: Bool) {
        bridge = prepared.name
        uplink = prepared.uplink
        self.action = action
        self.dryRun = dryRun
        steps = prepared.steps
        persistence = action == "create" ? prepared.persistence : nil
        persistenceDetected = action == "create" ? prepared.persistenceDetected : nil
        files = prepared.files
    }

    var text: String {
        let persisted = persistence.map { name in
            "persist: \(name)\(persistenceDetected == true ? " (detected from the host)" : "")"
        }
        if action == "create" {
            let head = dryRun ? "would create bridge \(bridge)" : "bridge \(bridge) created"
            var lines = ["\(head)\(uplink.map { " with uplink \($0)" } ?? ""); \(persisted ?? "")"]
            if dryRun {
                lines += steps.enumerated().map { "  \($0.offset + 1). \($0.element)" }
                for file in files {
                    lines.append("--- \(file.path)")
                    lines.append(file.contents.trimmingTrailingNewline)
                }
            } else {
                lines += files.map { "wrote \($0.path)" }
                if let service { lines.append(service) }
            }
            return lines.joined(separator: "\n")
        }
        var lines = [dryRun ? "would delete bridge \(bridge)" : "bridge \(bridge) deleted\(uplink.map { "; addresses and routes back on \($0)" } ?? "")"]
        if dryRun { lines += steps.enumerated().map { "  \($0.offset + 1). \($0.element)" } }
        lines += files.map { "\(dryRun ? "would remove" : "removed") \($0.path)" }
        return lines.joined(separator: "\n")
    }
}
