import Foundation

/// The network manager whose configuration makes a host bridge survive a reboot.
public enum HostBridgePersistence: String, Sendable, Hashable, Codable, CaseIterable {
    case networkd, ifupdown, nm, ifcfg, none

    /// What the host runs: systemd-networkd if `/run/systemd/netif` exists or `systemd-networkd`
    /// runs, else NetworkManager if `/run/NetworkManager` exists, else ifupdown if
    /// `/etc/network/interfaces` exists, else ifcfg if `/etc/sysconfig/network-scripts` exists,
    /// else none. Paths are looked up under `root`; processes only when `root` is `/`.
    public static func detect(root: String = "/") -> HostBridgePersistence {
        let files = FileManager.default
        func exists(_ path: String) -> Bool { files.fileExists(atPath: HostBridgeConfigFile.join(root, path)) }
        if exists("/run/systemd/netif") || (root == "/" && processRuns("systemd-network")) { return .networkd }
        if exists("/run/NetworkManager") { return .nm }
        if exists("/etc/network/interfaces") { return .ifupdown }
        if exists("/etc/sysconfig/network-scripts") { return .ifcfg }
        return .none
    }

    /// The directories this flavour writes into (absolute paths on the host).
    public var directories: [String] {
        switch self {
        case .networkd: ["/etc/systemd/network"]
        case .ifupdown: ["/etc/network/interfaces.d"]
        case .nm: ["/etc/NetworkManager/system-connections"]
        case .ifcfg: ["/etc/sysconfig/network-scripts"]
        case .none: []
        }
    }

    /// Whether a process whose name (`/proc/PID/comm`, at most 15 characters) is `command` runs.
    public static func processRuns(_ command: String) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        return entries.contains { entry in
            entry.allSatisfy(\.isNumber)
                && (try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) == command
        }
    }
}

/// One file of a host bridge's persistent configuration.
public struct HostBridgeConfigFile: Sendable, Hashable, Codable {
    /// The path on the host, absolute (`/etc/…`); written under the persistence root.
    public var path: String
    public var contents: String
    /// The permission bits; 0600 for NetworkManager keyfiles, which NetworkManager ignores otherwise.
    public var mode: Int

    public init(path: String, contents: String, mode: Int = 0o644) {
        self.path = path
        self.contents = contents
        self.mode = mode
    }

    /// The first line of every file vnetctl writes for bridge `bridge`; `delete` removes only such files.
    public static func marker(_ bridge: String) -> String {
        "# Written by vnetctl for host bridge \(bridge); 'vnetctl host-bridge delete \(bridge)' removes it."
    }

    /// The suffix of a file vnetctl moved aside to write its own (ifcfg-DEV); every network manager
    /// that reads the directory ignores `*.orig`.
    public static let backupSuffix = ".vnetctl.orig"

    static func join(_ root: String, _ path: String) -> String {
        root == "/" || root.isEmpty ? path : (root.hasSuffix("/") ? String(root.dropLast()) : root) + path
    }
}

/// Writes and removes the persistent configuration of host bridges.
public enum HostBridgeConfig {
    /// The files that recreate the plan's bridge at boot under `flavour`.
    public static func files(for plan: HostBridgePlan, _ flavour: HostBridgePersistence) -> [HostBridgeConfigFile] {
        let view = BridgeView(plan)
        switch flavour {
        case .networkd: return HostBridgeConfigRenderers.networkd(view)
        case .ifupdown: return HostBridgeConfigRenderers.ifupdown(view)
        case .nm: return HostBridgeConfigRenderers.networkManager(view)
        case .ifcfg: return HostBridgeConfigRenderers.ifcfg(view)
        case .none: return []
        }
    }

    /// The first line of every regular file in the directories any persistence target writes into,
    /// by its path on the host (`/etc/…`), read under `root`: what ``conflict(_:bridge:existing:)``
    /// checks. Only each file's first ``headLimit`` bytes are read, and nothing that is not a regular
    /// file (a FIFO there would block the read).
    public static func firstLines(root: String) -> [String: String] {
        var lines: [String: String] = [:]
        for directory in HostBridgePersistence.allCases.flatMap(\.directories) {
            let full = HostBridgeConfigFile.join(root, directory)
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: full)) ?? [] {
                guard let line = firstLine(ofRegularFile: full + "/" + entry) else { continue }
                lines[directory + "/" + entry] = line
            }
        }
        return lines
    }

    /// How much of a file ``firstLines(root:)`` reads: far more than any marker line.
    static let headLimit = 4096

    /// The first line of `path` within its first ``headLimit`` bytes, or nil when it is no regular
    /// file (after symbolic links), cannot be read, or that line is not UTF-8.
    private static func firstLine(ofRegularFile path: String) -> String? {
        guard let type = (try? FileManager.default.attributesOfItem(atPath: (path as NSString).resolvingSymlinksInPath))?[.type]
                as? FileAttributeType, type == .typeRegular,
            let handle = FileHandle(forReadingAtPath: path)
        else { return nil }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: headLimit) ?? Data()
        } catch {
            return nil
        }
        return String(data: data.prefix { $0 != UInt8(ascii: "\n") }, encoding: .utf8)
    }

    /// Why the files cannot be written, or `nil`: a file of that name exists (`existing`, from
    /// ``firstLines(root:)``) and was not written by vnetctl (only an uplink's `ifcfg-DEV` may be
    /// moved aside).
    public static func conflict(_ files: [HostBridgeConfigFile], bridge: String, existing: [String: String]) -> String? {
        for file in files {
            guard let firstLine = existing[file.path] else { continue }
            if firstLine.hasPrefix(HostBridgeConfigFile.marker(bridge)) { continue }
            if isUplinkIfcfg(file.path) { continue }
            return "\(file.path) exists and was not written by vnetctl; move it away or use --persist none"
        }
        return nil
    }

    /// Writes the files under `root`, each through a temporary file and a rename, moving an existing
    /// foreign `ifcfg-DEV` aside to `ifcfg-DEV.vnetctl.orig`. Returns the paths written.
    @discardableResult
    public static func write(_ files: [HostBridgeConfigFile], bridge: String, root: String) throws(HostBridgeError) -> [String] {
        let manager = FileManager.default
        var written: [String] = []
        do {
            for file in files {
                let path = HostBridgeConfigFile.join(root, file.path)
                let directory = (path as NSString).deletingLastPathComponent
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                if let existing = try? String(contentsOfFile: path, encoding: .utf8),
                   !existing.hasPrefix(HostBridgeConfigFile.marker(bridge)) {
                    let backup = path + HostBridgeConfigFile.backupSuffix
                    if manager.fileExists(atPath: backup) { try manager.removeItem(atPath: backup) }
                    try manager.moveItem(atPath: path, toPath: backup)
                }
                let temporary = path + ".vnetctl-tmp"
                guard manager.createFile(
                    atPath: temporary, contents: Data(file.contents.utf8),
                    attributes: [.posixPermissions: file.mode])
                else { throw HostBridgeError.failure("cannot write \(path)") }
                if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
                try manager.moveItem(atPath: temporary, toPath: path)
                written.append(file.path)
            }
        } catch let error as HostBridgeError {
            throw error
        } catch {
            throw .failure("cannot write the persistent configuration: \(error.localizedDescription)")
        }
        return written
    }

    /// Removes every file vnetctl wrote for `bridge` under `root`, in any flavour, and puts back what
    /// it moved aside. Returns the paths removed.
    @discardableResult
    public static func remove(bridge: String, root: String) throws(HostBridgeError) -> [String] {
        let manager = FileManager.default
        var removed: [String] = []
        let marker = HostBridgeConfigFile.marker(bridge)
        do {
            for directory in HostBridgePersistence.allCases.flatMap(\.directories) {
                let full = HostBridgeConfigFile.join(root, directory)
                guard let names = try? manager.contentsOfDirectory(atPath: full) else { continue }
                for name in names.sorted() where !name.hasSuffix(HostBridgeConfigFile.backupSuffix) {
                    let path = full + "/" + name
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasPrefix(marker) else { continue }
                    try manager.removeItem(atPath: path)
                    removed.append(directory + "/" + name)
                    let backup = path + HostBridgeConfigFile.backupSuffix
                    if manager.fileExists(atPath: backup) { try manager.moveItem(atPath: backup, toPath: path) }
                }
            }
        } catch {
            throw .failure("cannot remove the persistent configuration: \(error.localizedDescription)")
        }
        return removed
    }

    private static func isUplinkIfcfg(_ path: String) -> Bool {
        path.hasPrefix("/etc/sysconfig/network-scripts/ifcfg-")
    }
}

/// The parts of a plan that the configuration files say, seen from the bridge after creation.
struct BridgeView {
    var bridge: HostBridgeSettings
    var uplink: String?
    var staticAddresses: [HostAddressSetting]
    var dhcpV4: Bool
    var autoV6: Bool
    var defaultV4: HostRouteSetting?
    var defaultV6: HostRouteSetting?
    /// Routes other than a plain main-table default route.
    var otherRoutes: [HostRouteSetting]

    init(_ plan: HostBridgePlan) {
        bridge = plan.bridge
        uplink = plan.uplink
        staticAddresses = plan.addresses.filter { !$0.isDynamic }
        dhcpV4 = plan.addresses.contains { $0.family == .ipv4 && $0.isDynamic }
        autoV6 = plan.addresses.contains { $0.family == .ipv6 && $0.isDynamic }
        func plainDefault(_ route: HostRouteSetting) -> Bool {
            route.isDefault && route.table == 254 && route.gateway != nil && route.preferredSource == nil && !route.onlink
        }
        // Routes a DHCP server handed out come back with the lease; writing them down would pin them.
        let dhcp = dhcpV4
        let routes = plan.routes.filter { !(dhcp && $0.family == .ipv4 && $0.origin == 16 /* RTPROT_DHCP */) }
        let v4 = routes.first { $0.family == .ipv4 && plainDefault($0) }
        let v6 = routes.first { $0.family == .ipv6 && plainDefault($0) }
        defaultV4 = v4
        defaultV6 = v6
        otherRoutes = routes.filter { $0 != v4 && $0 != v6 }
    }

    func addresses(_ family: HostAddress.Family) -> [HostAddressSetting] {
        staticAddresses.filter { $0.family == family }
    }
}
