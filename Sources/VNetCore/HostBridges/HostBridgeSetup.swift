import Foundation
import HostNet
import Libvirt

/// Host bridges for the bridged model: the command layer's entry to `HostNet`'s `HostBridge`, with the
/// checks that need libvirt or the process (root, users of a bridge) and errors as `VNetError`.
public enum HostBridgeSetup {
    /// The network managers `--persist` names.
    public static let persistenceNames = HostBridgePersistence.allCases.map(\.rawValue)

    /// Where persistent configuration goes: `VNETCTL_PERSIST_ROOT` (a directory standing in for `/`,
    /// for tests), else `/`.
    public static var persistRoot: String {
        let value = ProcessInfo.processInfo.environment["VNETCTL_PERSIST_ROOT"] ?? ""
        return value.isEmpty ? "/" : value
    }

    /// Throws unless the process runs as root, which changing links and `/etc` needs.
    public static func requireRoot() throws(VNetError) {
        guard geteuid() == 0 else {
            throw .failure("host-bridge needs root to change the host's links and write /etc; run it with sudo")
        }
    }

    /// Checks and plans a bridge against `host` (read with ``Inventory/Scope/hostBridges``, or
    /// ``HostFacts/readHostBridgeFacts()``); changes nothing. `persist` nil means detect it from the host.
    ///
    /// When a cut-off `create` of the same bridge with the same options left its record, the plan
    /// is that run's, so that ``create(_:keepingRecord:)`` finishes it; other options, or a
    /// cut-off `delete`, are refused.
    public static func prepareCreate(
        name: String, uplink: String?, stp: Bool = false, forwardDelay: Int = 0, mtu: Int? = nil, persist: String? = nil,
        host: HostFacts
    ) throws(VNetError) -> PreparedHostBridge {
        let (settings, found) = try bridgeFacts(of: host, bridge: name)
        let root = found.root
        var flavour = found.detected
        if let persist {
            guard let given = HostBridgePersistence(rawValue: persist) else {
                throw .invalidInput(
                    "unknown persist target '\(persist)': use \(persistenceNames.joined(separator: ", "))")
            }
            flavour = given
        }
        try converted { () throws(HostBridgeError) in try HostBridge.validateName(name) }
        let request = HostBridgeRequest(name: name, uplink: uplink, stp: stp, forwardDelay: forwardDelay, mtu: mtu)
        if let intent = try found.record(name) {
            guard intent.action == .create else {
                throw .naming(
                    .invalidInput, "a cut-off 'host-bridge delete \(name)' left \(name) half taken apart; run '",
                    OperationAction(.delete, .hostBridge, named: name), then: "' to finish it")
            }
            guard intent.request == request, persist == nil || persist == intent.persistence else {
                throw .naming(
                    .invalidInput,
                    "a cut-off 'host-bridge create \(name)' with other options left \(name) half made; run it again with its options or '",
                    OperationAction(.delete, .hostBridge, named: name), then: "' to undo it")
            }
            return PreparedHostBridge(
                name: name, uplink: uplink, steps: intent.plan.steps.map { $0.description }, persistence: intent.persistence,
                persistenceDetected: persist == nil, files: intent.files.map { PreparedHostBridge.File(path: $0.path, contents: $0.contents) },
                plan: intent.plan, configFiles: intent.files, root: root, intent: intent, resumed: true)
        }
        let plan = try converted { () throws(HostBridgeError) in
            try HostBridge.planCreate(request, links: host.links, settings: settings)
        }
        let files = HostBridgeConfig.files(for: plan, flavour)
        if let conflict = HostBridgeConfig.conflict(files, bridge: name, existing: found.firstLines) {
            throw .invalidInput(conflict)
        }
        return PreparedHostBridge(
            name: name, uplink: uplink, steps: plan.steps.map { $0.description }, persistence: flavour.rawValue,
            persistenceDetected: persist == nil, files: files.map { PreparedHostBridge.File(path: $0.path, contents: $0.contents) },
            plan: plan, configFiles: files, root: root,
            intent: HostBridgeIntent(action: .create, request: request, persistence: flavour.rawValue, plan: plan, files: files),
            resumed: false)
    }

    /// Makes the bridge live and writes its configuration. A failed step undoes the ones before it;
    /// failing to write the files undoes the live change too. Returns what the network manager did
    /// with the files (``NetworkServiceReload``), nil when none was written or the target has no service.
    ///
    /// The record of the change (``HostBridgeIntent``) is written before the first step and removed
    /// after the files, unless `keepingRecord`: then ``finish(_:)`` removes it once the caller's
    /// own later step is done, so that a kill before that reruns into this bridge too.
    @discardableResult
    public static func create(_ prepared: PreparedHostBridge, keepingRecord: Bool = false) throws(VNetError) -> String? {
        if !prepared.resumed {
            try prepared.intent.write(root: prepared.root)
            FaultPoint.reached("recording the intent to create bridge \(prepared.name)")
        }
        let written: [String]
        do {
            written = try converted { () throws(HostBridgeError) -> [String] in
                try HostBridge.execute(prepared.plan) { FaultPoint.reached($0.description) }
                do throws(HostBridgeError) {
                    return try HostBridgeConfig.write(prepared.configFiles, bridge: prepared.name, root: prepared.root)
                } catch {
                    _ = try? HostBridgeConfig.remove(bridge: prepared.name, root: prepared.root)
                    try? HostBridge.undo(prepared.plan)
                    throw HostBridgeError.failure("\(error.message); the bridge was taken down again")
                }
            }
        } catch {
            forgetIfUndone(prepared)
            throw error
        }
        FaultPoint.reached("writing the persistent configuration of bridge \(prepared.name)")
        if !keepingRecord { try HostBridgeIntent.remove(prepared.name, root: prepared.root) }
        guard !written.isEmpty else { return nil }
        let paths = written.map { prepared.root == "/" ? $0 : prepared.root + $0 }
        return NetworkServiceReload.afterWriting(paths, for: prepared.persistence)
    }

    /// The link settings and files `host` was read with, or why a bridge cannot be planned without them.
    private static func bridgeFacts(of host: HostFacts, bridge: String) throws(VNetError) -> (HostLinkSettings, HostBridgeFiles) {
        guard let settings = host.linkSettings, let files = host.bridgeFiles else {
            guard host.isThisMachine else {
                throw .naming(
                    .invalidInput, "bridge \(bridge) cannot be made over a remote connection; ", OperationAction(.run), then: " on that host")
            }
            throw .failure("bridge \(bridge) cannot be planned: the host's link settings were not read")
        }
        return (settings, files)
    }

    /// Removes the record a ``create(_:keepingRecord:)`` kept: the bridge is the caller's for good.
    public static func finish(_ prepared: PreparedHostBridge) throws(VNetError) {
        try HostBridgeIntent.remove(prepared.name, root: prepared.root)
    }

    /// Takes a bridge that ``create(_:keepingRecord:)`` made apart again, live and on disk (after
    /// a later step of the caller's failed).
    public static func undoCreate(_ prepared: PreparedHostBridge) throws(VNetError) {
        try converted { () throws(HostBridgeError) in
            try HostBridgeConfig.remove(bridge: prepared.name, root: prepared.root)
            try HostBridge.undo(prepared.plan)
        }
        try HostBridgeIntent.remove(prepared.name, root: prepared.root)
    }

    /// Checks and plans taking a bridge apart; refuses while an active libvirt network or a running
    /// domain uses it, naming them. Changes nothing.
    ///
    /// When a cut-off run left its record, the plan is that run's: a cut-off `delete` is finished,
    /// a cut-off `create` undone (whether or not the bridge exists yet).
    ///
    /// `host` is read as for ``prepareCreate(name:uplink:stp:forwardDelay:mtu:persist:host:)``.
    public static func prepareDelete(name: String, host: HostFacts, connection: Connection) throws(VNetError) -> PreparedHostBridge {
        try converted { () throws(HostBridgeError) in try HostBridge.validateName(name) }
        let (settings, found) = try bridgeFacts(of: host, bridge: name)
        let root = found.root
        let recorded = try found.record(name)
        let plan: HostBridgePlan
        if let recorded {
            plan = recorded.plan
        } else {
            plan = try converted { () throws(HostBridgeError) in
                try HostBridge.planDelete(name, links: host.links, settings: settings)
            }
        }
        let users = try self.users(of: name, on: connection)
        if !users.isEmpty {
            throw .invalidInput(
                "bridge \(name) is in use by \(users.joined(separator: ", ")); stop them first")
        }
        let marker = HostBridgeConfigFile.marker(name)
        var files: [PreparedHostBridge.File] = []
        for directory in HostBridgePersistence.allCases.flatMap(\.directories) {
            let full = root == "/" ? directory : root + directory
            for entry in ((try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []).sorted() {
                if let text = try? String(contentsOfFile: full + "/" + entry, encoding: .utf8), text.hasPrefix(marker) {
                    files.append(.init(path: directory + "/" + entry, contents: text))
                }
            }
        }
        let undoing = recorded?.action == .create
        let steps = undoing ? plan.steps.reversed().map(\.inverse) : plan.steps
        return PreparedHostBridge(
            name: name, uplink: plan.uplink, steps: steps.map { $0.description }, persistence: "", persistenceDetected: false,
            files: files, plan: plan, configFiles: [], root: root,
            intent: recorded ?? HostBridgeIntent(action: .delete, request: nil, persistence: "", plan: plan, files: []),
            resumed: recorded != nil)
    }

    /// Takes the bridge apart (undoing every step on failure) and removes its configuration files,
    /// with its record (``HostBridgeIntent``) from before the first step to after the files.
    public static func delete(_ prepared: PreparedHostBridge) throws(VNetError) {
        if !prepared.resumed {
            try prepared.intent.write(root: prepared.root)
            FaultPoint.reached("recording the intent to delete bridge \(prepared.name)")
        }
        do {
            try converted { () throws(HostBridgeError) in
                if prepared.intent.action == .create {
                    try HostBridge.undo(prepared.plan) { FaultPoint.reached($0.description) }
                } else {
                    try HostBridge.execute(prepared.plan) { FaultPoint.reached($0.description) }
                }
                try HostBridgeConfig.remove(bridge: prepared.name, root: prepared.root)
            }
        } catch {
            if prepared.intent.action == .delete { forgetIfUndone(prepared) }
            throw error
        }
        FaultPoint.reached("removing the persistent configuration of bridge \(prepared.name)")
        try HostBridgeIntent.remove(prepared.name, root: prepared.root)
    }

    /// After a failed run: when the host is back where the plan started (undoing what is left of it
    /// succeeds), the record goes; otherwise it stays for `delete` and `leftovers`.
    private static func forgetIfUndone(_ prepared: PreparedHostBridge) {
        guard (try? HostBridge.undo(prepared.plan)) != nil else { return }
        try? HostBridgeIntent.remove(prepared.name, root: prepared.root)
    }

    /// Active networks and running domains that use the bridge, as `network NAME` and `vm NAME`.
    public static func users(of bridge: String, on connection: Connection) throws(VNetError) -> [String] {
        do {
            let inventory = try Inventory.read(connection, [.networks, .domains])
            let networks = inventory.networks.filter { $0.active && $0.current.bridge?.name == bridge }.map { "network \($0.name)" }
            let domains = inventory.domains.filter { $0.active && $0.current.nics.contains { $0.source.bridge == bridge } }
                .map { "vm \($0.name)" }
            return networks + domains
        } catch {
            throw VNetError.failure("cannot check whether libvirt uses bridge \(bridge): \(VNetError.from(error).message)")
        }
    }

    /// Every bridge on the host.
    public static func list() throws(VNetError) -> [HostBridgeSummary] {
        try converted { () throws(HostBridgeError) in try HostBridge.list() }.map(HostBridgeSummary.init)
    }

    /// Runs a HostNet step; its error's suggestion to look at the host's bridges names the listing
    /// as an action, which each front end words.
    private static func converted<T>(_ body: () throws(HostBridgeError) -> T) throws(VNetError) -> T {
        do {
            return try body()
        } catch {
            let kind: VNetError.Kind = error.kind == .invalidInput ? .invalidInput : .failure
            let listing = OperationAction(.list, .hostBridge)
            switch error.suggestion {
            case nil: throw VNetError(kind, error.message)
            case .listingShowsTheBridges: throw .naming(kind, error.message + "; '", listing, then: "' shows the bridges")
            case .checkTheListing: throw .naming(kind, error.message + "; check '", listing, then: "'")
            }
        }
    }
}
