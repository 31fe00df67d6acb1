import Foundation

/// A Linux bridge as the kernel shows it (sysfs and `ip -j`), independent of libvirt and vnetctl.
public struct KernelBridge: Sendable {
    public var name: String
    public init(_ name: String) { self.name = name }

    /// True when a link of that name exists and is a bridge.
    public var exists: Bool { FileManager.default.fileExists(atPath: "/sys/class/net/\(name)/bridge") }

    /// `/sys/class/net/BR/bridge/stp_state` (0 = off), nil when the bridge does not exist.
    public var stpState: Int? { Self.sysfsInt("/sys/class/net/\(name)/bridge/stp_state") }

    /// `/sys/class/net/BR/bridge/forward_delay` in centiseconds, nil when the bridge does not exist.
    public var forwardDelay: Int? { Self.sysfsInt("/sys/class/net/\(name)/bridge/forward_delay") }

    /// IPv4 addresses on the bridge as `ADDRESS/PREFIX`.
    public func ipv4Addresses() throws -> [String] {
        try IPJSON.ipv4Addresses(try Command.output(["ip", "-j", "-4", "addr", "show", "dev", name]))
    }

    /// Names of the links enslaved to the bridge.
    public func ports() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net/\(name)/brif"))?.sorted() ?? []
    }

    static func sysfsInt(_ path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// The dnsmasq that libvirt runs for one network, read from libvirt's own files:
/// `/run/libvirt/network/NAME.pid`, `/var/lib/libvirt/dnsmasq/NAME.conf` and `NAME.hostsfile`.
public struct NetworkDnsmasq: Sendable {
    public var network: String
    public init(network: String) { self.network = network }

    public var pidFile: String { "/run/libvirt/network/\(network).pid" }
    public var configFile: String { "/var/lib/libvirt/dnsmasq/\(network).conf" }
    public var hostsFile: String { "/var/lib/libvirt/dnsmasq/\(network).hostsfile" }

    /// The pid in libvirt's pid file, if there is one.
    public var pid: Int? {
        (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// The running process's command line (NUL separators as spaces), nil when it is not running.
    public var commandLine: String? {
        guard let pid, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else {
            return nil
        }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
    }

    /// True when the pid file names a live dnsmasq started with this network's config file.
    public var isRunning: Bool {
        guard let commandLine else { return false }
        return commandLine.contains("dnsmasq") && commandLine.contains("--conf-file=\(configFile)")
    }

    /// The config file's lines without comments.
    public func configLines() -> [String] {
        let text = (try? String(contentsOfFile: configFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    /// Values of `KEY=VALUE` lines for `key` (e.g. `dhcp-range` → `10.123.4.2,10.123.4.254,255.255.255.0`).
    public func configValues(_ key: String) -> [String] {
        configLines().compactMap { line in
            line.hasPrefix("\(key)=") ? String(line.dropFirst(key.count + 1)) : nil
        }
    }

    /// `dhcp-range=FIRST,LAST,NETMASK` values as (first, last).
    public func dhcpRanges() -> [(first: String, last: String)] {
        configValues("dhcp-range").compactMap { value in
            let parts = value.split(separator: ",").map(String.init)
            return parts.count >= 2 ? (parts[0], parts[1]) : nil
        }
    }

    /// The hostsfile's lines (`MAC,IP,HOSTNAME` for each reservation); empty when there is none.
    public func hostsfileLines() -> [String] {
        let text = (try? String(contentsOfFile: hostsFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }
}

/// virsh against `qemu:///system`: the independent witness of what libvirt holds.
public enum Virsh {
    public static let uri = "qemu:///system"

    @discardableResult
    public static func run(_ arguments: [String]) throws -> CommandResult {
        try Command.run(["virsh", "-q", "-c", uri] + arguments)
    }

    @discardableResult
    public static func output(_ arguments: [String]) throws -> String {
        try Command.output(["virsh", "-q", "-c", uri] + arguments)
    }

    /// `virsh net-list --name` (with `--all`: inactive ones too).
    public static func networkNames(all: Bool = true) throws -> Set<String> {
        let text = try output(["net-list", "--name"] + (all ? ["--all"] : []))
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    public static func isActive(_ network: String) throws -> Bool {
        try networkNames(all: false).contains(network)
    }

    public static func dumpXML(_ network: String) throws -> String {
        try output(["net-dumpxml", network])
    }

    /// Defines and starts a network from XML text (a temporary file for `net-define`).
    public static func defineAndStart(xml: String, name: String, start: Bool = true) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).xml").path
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try output(["net-define", file])
        if start { try output(["net-start", name]) }
    }

    /// Stops and undefines `network`, ignoring "not running" and "not found": for cleanup of a
    /// network whose (unique, test-made) name is known, after however much of it was created.
    public static func destroyAndUndefine(_ network: String) {
        _ = try? run(["net-destroy", network])
        _ = try? run(["net-undefine", network])
    }
}
