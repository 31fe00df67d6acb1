import Foundation

/// The second libvirt host the environment names (`VNETCTL_SECOND_HOST=NAME=URI`, a host that
/// `../shared/second-host.sh start NAME N` started before the test run): its network namespace and URI.
///
/// scripts/test.sh starts one for every run; suites that need it are skipped without it.
public struct SecondHost: Sendable {
    public var namespace: String
    public var uri: String

    public static var current: SecondHost? {
        guard let value = ProcessInfo.processInfo.environment["VNETCTL_SECOND_HOST"], let equals = value.firstIndex(of: "=") else {
            return nil
        }
        return SecondHost(namespace: String(value[..<equals]), uri: String(value[value.index(after: equals)...]))
    }

    /// That host's address on the /30 between the two hosts (the URI's host part).
    public var address: String {
        String(uri.split(separator: "/")[1].split(separator: ":")[0])
    }

    /// This machine's address on the /30 between the two hosts (one below that host's).
    public var localAddress: String {
        var octets = address.split(separator: ".").compactMap { Int($0) }
        octets[3] -= 1
        return octets.map(String.init).joined(separator: ".")
    }

    /// The /30 between the two hosts, which that host's own link routes (its address, last two bits cleared).
    public var linkSubnet: String {
        let octets = address.split(separator: ".").compactMap { Int($0) }
        return "\(octets[0]).\(octets[1]).\(octets[2]).\(octets[3] & ~3)/30"
    }

    /// `command` run on that host (its network and mount namespaces), through second-host.sh.
    public func exec(_ command: [String]) -> [String] {
        ["bash", SecondHost.script, "exec", namespace] + command
    }

    /// ../shared/second-host.sh beside the repository.
    public static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/second-host.sh").path
    }
}
