import Foundation

/// A lab topology for `vnetctl apply -f`: one network of each model (nat, routed, isolated, and
/// bridged on a host bridge the test made) and four VMs with reserved addresses, all with unique
/// `vnt-` names on free 10.123.X.0/24 subnets, written to a file of its own temporary directory.
///
/// ```swift
/// let bridge = try TestBridge()
/// let lab = try TopologyLab(bridge: bridge.name)
/// defer { lab.remove() }
/// try lab.write()
/// let result = try lab.apply()
/// ```
public final class TopologyLab: @unchecked Sendable {
    public let topologyName: String
    public let nat: String, routed: String, isolated: String, bridged: String
    /// VM 1 (pxe, on nat and isolated; the one that may run), VM 2 (nat), VM 3 (routed), VM 4 (routed and bridged).
    public let vm1: String, vm2: String, vm3: String, vm4: String
    public let bridge: String
    public var natOctet: Int, routedOctet: Int, isolatedOctet: Int
    /// Whether VM 1 is started (TCG, `virtType: qemu`); the others never are.
    public var guestRuns: Bool
    /// Extra `dhcp.hosts` lines of the nat network, as `(mac, ip host part, hostname)`.
    public var natHosts: [(mac: String, host: Int, hostname: String)] = []
    /// Text that replaces the generated file when set (for bad files).
    public var override: String?

    public let directory: URL
    public var path: String { directory.appendingPathComponent("lab.yaml").path }

    public var networks: [String] { [nat, routed, isolated, bridged] }
    public var vms: [String] { [vm1, vm2, vm3, vm4] }
    /// The networks libvirt runs a dnsmasq for.
    public var dnsmasqNetworks: [String] { [nat, routed, isolated] }

    public init(bridge: String, guestRuns: Bool = false) throws {
        let id = TestNames.unique("t")
        let suffix = String(id.dropFirst(TestNames.prefix.count + 2))
        topologyName = "\(TestNames.prefix)topo-\(suffix)"
        nat = "\(TestNames.prefix)tnat-\(suffix)"
        routed = "\(TestNames.prefix)trt-\(suffix)"
        isolated = "\(TestNames.prefix)tiso-\(suffix)"
        bridged = "\(TestNames.prefix)tlan-\(suffix)"
        vm1 = "\(TestNames.prefix)tvm1-\(suffix)"
        vm2 = "\(TestNames.prefix)tvm2-\(suffix)"
        vm3 = "\(TestNames.prefix)tvm3-\(suffix)"
        vm4 = "\(TestNames.prefix)tvm4-\(suffix)"
        self.bridge = bridge
        self.guestRuns = guestRuns
        natOctet = try TestSubnets.freeThirdOctet()
        routedOctet = try TestSubnets.freeThirdOctet()
        isolatedOctet = try TestSubnets.freeThirdOctet()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-topology-\(suffix)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    public func ip(_ octet: Int, _ host: Int) -> String { "10.123.\(octet).\(host)" }

    public var yaml: String {
        if let override { return override }
        let hosts = natHosts.isEmpty ? "" : "\n      hosts:\n" + natHosts.map { host in
            "        - { mac: \"\(host.mac)\", ip: \(ip(natOctet, host.host)), hostname: \(host.hostname) }"
        }.joined(separator: "\n")
        return """
            name: \(topologyName)
            networks:
              - name: \(nat)
                model: nat
                subnet: 10.123.\(natOctet).0/24
                dhcp:
                  range: \(ip(natOctet, 100))-\(ip(natOctet, 200))\(hosts)
              - name: \(routed)
                model: routed
                subnet: 10.123.\(routedOctet).0/24
              - name: \(isolated)
                model: isolated
                subnet: 10.123.\(isolatedOctet).0/24
              - name: \(bridged)
                model: bridged
                bridge: \(bridge)
            vms:
              - name: \(vm1)
                template: pxe
                memory: 128MiB
                set: { virtType: qemu }
                start: \(guestRuns)
                nics:
                  - { network: \(nat), ip: \(ip(natOctet, 11)) }
                  - { network: \(isolated), ip: \(ip(isolatedOctet, 11)) }
              - name: \(vm2)
                memory: 128MiB
                set: { virtType: qemu }
                start: false
                nics:
                  - { network: \(nat), ip: \(ip(natOctet, 12)) }
              - name: \(vm3)
                memory: 128MiB
                set: { virtType: qemu }
                start: false
                nics:
                  - { network: \(routed), ip: \(ip(routedOctet, 20)) }
              - name: \(vm4)
                memory: 128MiB
                set: { virtType: qemu }
                start: false
                nics:
                  - { network: \(routed), ip: \(ip(routedOctet, 21)) }
                  - { network: \(bridged) }

            """
    }

    /// Writes the file as the lab stands now.
    public func write() throws {
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `vnetctl apply -f FILE` plus `extra` arguments (`--check`, `--json`, …).
    @discardableResult
    public func apply(_ extra: [String] = []) throws -> CommandResult {
        try VNetCtlBinary.run(["apply", "-f", path] + extra)
    }

    @discardableResult
    public func teardown() throws -> CommandResult {
        try VNetCtlBinary.run(["teardown", "-f", path])
    }

    /// Removes everything the lab may have made, however far it got: `vnetctl teardown`, then
    /// virsh for each of its own names, then the directory. Safe to repeat.
    public func remove() {
        // The file as generated (a bad override could not be read): it names every object of the lab.
        override = nil
        if (try? write()) != nil { _ = try? teardown() }
        VirshDomains.destroyAndUndefine(vms)
        for network in networks { Virsh.destroyAndUndefine(network) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The pid in libvirt's pid file of `network`'s dnsmasq, nil when there is none.
    public static func dnsmasqPID(_ network: String) -> String? {
        let text = try? String(contentsOfFile: "/run/libvirt/network/\(network).pid", encoding: .utf8)
        return text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// libvirt's dnsmasq hosts file of `network` (`MAC,IP[,NAME]` lines), "" when there is none.
    public static func hostsFile(_ network: String) -> String {
        (try? String(contentsOfFile: "/var/lib/libvirt/dnsmasq/\(network).hostsfile", encoding: .utf8)) ?? ""
    }

    /// The object lines of an apply report (everything but the summary line).
    public static func objectLines(_ stdout: String) -> [String] {
        Array(stdout.split(separator: "\n").map(String.init).dropLast())
    }

    public static func summaryLine(_ stdout: String) -> String {
        stdout.split(separator: "\n").last.map(String.init) ?? ""
    }
}

/// What a topology apply could write, for a set of named objects only (so other tests' objects
/// changing meanwhile do not matter): each network's live and inactive XML, run and autostart
/// state and dnsmasq pid; each domain's inactive XML, state and id.
public struct TopologySnapshot: Sendable, Equatable {
    public var networks: [String: LibvirtState.NetworkState?]
    public var dnsmasq: [String: String?]
    public var domains: [String: String?]
    public var domainStates: [String: String]

    public static func capture(networks: [String], domains: [String]) throws -> TopologySnapshot {
        let active = try Virsh.networkNames(all: false), all = try Virsh.networkNames(all: true)
        var snapshot = TopologySnapshot(networks: [:], dnsmasq: [:], domains: [:], domainStates: [:])
        for name in networks {
            snapshot.dnsmasq[name] = TopologyLab.dnsmasqPID(name)
            guard all.contains(name) else {
                snapshot.networks[name] = .some(nil)
                continue
            }
            let info = (try? Virsh.output(["net-info", name])) ?? ""
            let autostart = info.split(separator: "\n").contains { $0.hasPrefix("Autostart:") && $0.hasSuffix("yes") }
            snapshot.networks[name] = LibvirtState.NetworkState(
                active: active.contains(name), autostart: autostart, liveXML: (try? Virsh.output(["net-dumpxml", name])) ?? "",
                inactiveXML: (try? Virsh.output(["net-dumpxml", "--inactive", name])) ?? "")
        }
        for name in domains {
            snapshot.domains[name] = .some(try? VirshDomains.xml(name, inactive: true))
            let state = ((try? Virsh.output(["domstate", name])) ?? "absent").trimmingCharacters(in: .whitespacesAndNewlines)
            let id = ((try? Virsh.output(["domid", name])) ?? "-").trimmingCharacters(in: .whitespacesAndNewlines)
            snapshot.domainStates[name] = "\(state) id=\(id)"
        }
        return snapshot
    }

    /// The objects that differ, one phrase each.
    public func differences(to other: TopologySnapshot) -> [String] {
        var found: [String] = []
        for name in Set(networks.keys).union(other.networks.keys).sorted() {
            let old = networks[name] ?? nil, new = other.networks[name] ?? nil
            switch (old, new) {
            case (nil, _?): found.append("network \(name) added")
            case (_?, nil): found.append("network \(name) removed")
            case (let old?, let new?):
                if old.active != new.active { found.append("network \(name) active \(old.active) → \(new.active)") }
                if old.autostart != new.autostart { found.append("network \(name) autostart changed") }
                if old.liveXML != new.liveXML { found.append("network \(name) live XML changed") }
                if old.inactiveXML != new.inactiveXML { found.append("network \(name) inactive XML changed") }
            default: break
            }
            if (dnsmasq[name] ?? nil) != (other.dnsmasq[name] ?? nil) {
                found.append("network \(name) dnsmasq pid \((dnsmasq[name] ?? nil) ?? "-") → \((other.dnsmasq[name] ?? nil) ?? "-")")
            }
        }
        for name in Set(domains.keys).union(other.domains.keys).sorted() {
            if (domains[name] ?? nil) != (other.domains[name] ?? nil) { found.append("domain \(name) inactive XML changed") }
            if domainStates[name] != other.domainStates[name] {
                found.append("domain \(name) \(domainStates[name] ?? "-") → \(other.domainStates[name] ?? "-")")
            }
        }
        return found
    }
}
