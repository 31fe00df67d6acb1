import Foundation

/// What libvirtd leaves behind when it is killed while starting a network: it has added firewall
/// rules, started dnsmasq or made the bridge, but never recorded the network as active, so its
/// `net-destroy` after the restart removes nothing of that start. Tests that kill libvirtd clean up
/// with this, restricted to their own bridges, subnets and network-name prefix.
public enum LibvirtLeftovers {
    /// The bridges of the libvirt networks whose names start with `prefix`, read with virsh.
    public static func bridges(ofNetworksPrefixed prefix: String) -> [String] {
        ((try? Virsh.networkNames()) ?? []).filter { $0.hasPrefix(prefix) }.sorted().compactMap { name in
            guard let xml = try? Virsh.output(["net-dumpxml", "--inactive", name]),
                let range = xml.range(of: #"<bridge name=['"]([^'"]+)['"]"#, options: .regularExpression)
            else { return nil }
            return xml[range].split(whereSeparator: { $0 == "'" || $0 == "\"" }).dropFirst().first.map(String.init)
        }
    }

    /// Deletes the firewall rules that mention one of `subnets` or match one of `bridges` as an
    /// interface, kills the dnsmasq processes of networks named `networkPrefix…`, and deletes
    /// whichever of `bridges` still exists. Returns what it removed, for the test's log.
    @discardableResult
    public static func remove(bridges: [String], subnets: [String], networkPrefix: String) -> [String] {
        var removed: [String] = []
        let rules = (try? FirewallRules.current().rules) ?? []
        for rule in rules where subnets.contains(where: rule.mentions) || bridges.contains(where: rule.matchesInterface) {
            if (try? rule.delete()) != nil { removed.append("\(rule)") }
        }
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in processes.compactMap(Int32.init) {
            let commandLine = String(
                decoding: FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data(), as: UTF8.self)
            if commandLine.hasPrefix("/usr/sbin/dnsmasq"),
                commandLine.contains("--conf-file=/var/lib/libvirt/dnsmasq/\(networkPrefix)"),
                kill(pid, SIGTERM) == 0
            {
                removed.append("dnsmasq \(pid)")
            }
        }
        for bridge in bridges where (try? Command.run(["ip", "link", "del", bridge]))?.status == 0 {
            removed.append("bridge \(bridge)")
        }
        return removed
    }
}
