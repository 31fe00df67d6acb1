import Foundation
import Yams

/// Reads topology files (YAML, or JSON, which YAML includes) into the specs the commands use.
///
/// Every problem is invalid input naming the file, the line and the field; the whole file is
/// read and checked before anything is changed.
public enum TopologyParser {
    static let topKeys = ["name", "hosts", "networks", "vms"]
    static let networkKeys = [
        "name", "model", "subnet", "subnet_pool", "ipv6", "bridge", "uplink", "dhcp", "host_ip", "domain", "mtu",
        "template", "set", "autostart", "start", "create_bridge", "forwards", "host",
    ] + overlayKeys
    static let dhcpKeys = ["enabled", "range", "hosts"]
    static let hostKeys = ["mac", "ip", "hostname"]
    static let vmKeys = ["name", "host", "template", "memory", "vcpus", "mac_seed", "set", "start", "nics"]
    static let nicKeys = ["network", "bridge", "direct", "user", "mode", "model", "mac", "ip", "net", "backend"]
    static let nicKinds = ["network", "bridge", "direct", "user"]

    /// Reads the file at `path`: a regular file of at most `BoundedFile.Kind.topology`'s limit.
    public static func parse(file path: String) throws(VNetError) -> Topology {
        try parse(try BoundedFile.text(path, as: .topology), source: path)
    }

    /// No rules: the reading decides what a plain scalar means (booleans and numbers from its
    /// text, nulls in `TopologyNode`). Yams's rules are regular expressions, and the first one
    /// compiled brings up ICU's regex engine: 7.9 M of the 85 M instructions of a no-op apply.
    static let resolver = Resolver.basic

    /// Reads topology text; `source` names it in messages.
    public static func parse(_ text: String, source: String) throws(VNetError) -> Topology {
        try YAMLBounds.check(text, source: source)
        let root: Node
        do {
            // UTF-8 named, not Yams's default: that one reads YAMS_DEFAULT_ENCODING and, when it is set, prints to stdout.
            guard let node = try Yams.compose(yaml: text, resolver, .default, .utf8) else {
                throw VNetError.invalidInput("\(source): the file is empty; describe networks: and vms:")
            }
            root = node
        } catch let error as VNetError {
            throw error
        } catch let error as YamlError {
            throw .invalidInput(Self.describe(error, in: text, source: source))
        } catch {
            throw .invalidInput("\(source): \(error)")
        }
        let top = try TopologyNode(node: root, path: "", source: source).fields(allowed: topKeys)
        let name = try top["name"]?.parsed { try ObjectName($0).value } ?? defaultName(for: source)
        let hosts = try fleetHosts(top["hosts"])
        let networks = try (top["networks"]?.list() ?? []).map { node throws(VNetError) in try network(node, hosts: hosts) }.map { entry in
            var entry = entry
            entry.spec.topology = name
            return entry
        }
        let vms = try (top["vms"]?.list() ?? []).map { node throws(VNetError) in try vm(node, hosts: hosts) }.map { entry in
            var entry = entry
            entry.spec.topology = name
            return entry
        }
        try checkNames(networks.map { ($0.spec.name, $0.host, $0.line) }, kind: "network", field: "networks", source: source)
        try checkNames(vms.map { ($0.spec.name, $0.host, $0.line) }, kind: "VM", field: "vms", source: source)
        try checkReservations(networks, vms, source: source)
        try checkOverlays(networks, hosts: hosts, vms: vms, source: source)
        return Topology(source: source, name: name, hosts: hosts, networks: networks.map { entry in
            var entry = entry
            for vm in vms where vm.host == entry.host {
                for nic in vm.spec.nics where nic.network == entry.spec.name {
                    if let ip = nic.ip { entry.spec.forwardVMs[vm.spec.name] = ip }
                }
            }
            return entry
        }, vms: vms)
    }

    /// The file's base name without its extension, made a valid object name.
    static func defaultName(for source: String) -> String {
        let base = (source as NSString).lastPathComponent
        let stem = base.split(separator: ".").first.map(String.init) ?? base
        let cleaned = String(stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_.+-".contains($0)) ? $0 : "-" })
        return (try? ObjectName(cleaned).value) ?? "topology"
    }

    private static func network(_ node: TopologyNode, hosts: [FleetHost]) throws(VNetError) -> Topology.NetworkEntry {
        let fields = try node.fields(allowed: networkKeys)
        guard let name = try fields["name"]?.string() else { throw node.error("a network needs a name") }
        guard let modelNode = fields["model"] else { throw node.error("network '\(name)' needs a model") }
        let overlay = try overlay(fields, name: name, model: modelNode)
        // An overlay is on every host it spans; the file counts it as its gateway's.
        let host = if let overlay { overlay.gateway } else {
            try placement(fields["host"], of: "network '\(name)'", at: node, hosts: hosts)
        }
        let model: NetworkModel = if let overlay { overlay.nat ? .nat : .isolated } else { try modelNode.parsed { text in
            guard let model = NetworkModel(rawValue: text) else {
                throw VNetError.invalidInput(
                    "unknown model '\(text)'; use \(NetworkModel.allCases.map(\.rawValue).joined(separator: ", ")) or overlay")
            }
            return model
        } }
        var spec = NetworkSpec(name: name, model: model)
        if let subnet = fields["subnet"] {
            spec.subnet = try subnet.parsed { $0 == "auto" ? .auto() : .explicit(try IPv4CIDR($0)) }
        }
        if let pool = fields["subnet_pool"] {
            guard spec.subnet == nil || spec.subnet == .auto() else {
                throw pool.error("subnet_pool applies to 'subnet: auto' only")
            }
            spec.subnet = .auto(pool: try pool.parsed { try IPv4CIDR($0) })
        }
        spec.ipv6 = try fields["ipv6"]?.parsed { try IPv6CIDR($0) }
        spec.bridge = try fields["bridge"]?.string()
        spec.uplink = try fields["uplink"]?.string()
        if let dhcpNode = fields["dhcp"] {
            let dhcp = try dhcpNode.fields(allowed: dhcpKeys)
            spec.dhcp = try dhcp["enabled"]?.bool() ?? true
            spec.dhcpRange = try dhcp["range"]?.parsed { try IPv4Range($0) }
            spec.reservations = try (dhcp["hosts"]?.list() ?? []).map { host throws(VNetError) in
                let fields = try host.fields(allowed: hostKeys)
                guard let mac = fields["mac"], let ip = fields["ip"] else { throw host.error("a host needs mac and ip") }
                return DHCPReservation(
                    mac: try mac.parsed { try MACAddress($0) }, ip: try ip.parsed { try IPv4Address($0) },
                    hostname: try fields["hostname"]?.string())
            }
        }
        spec.hostIP = try fields["host_ip"]?.bool() ?? true
        spec.domain = try fields["domain"]?.string()
        spec.mtu = try fields["mtu"]?.int()
        spec.templatePath = try fields["template"]?.string()
        spec.settings = try fields["set"]?.stringMap() ?? [:]
        let createBridge = try fields["create_bridge"]?.bool() ?? false
        if createBridge, let field = fields["create_bridge"], model != .bridged || spec.bridge == nil {
            throw field.error("create_bridge needs model: bridged and bridge: BR")
        }
        let bridgeUplink = createBridge ? spec.uplink : nil
        if createBridge { spec.uplink = nil }
        spec.forwards = try (fields["forwards"]?.list() ?? []).map { forward throws(VNetError) in
            try forward.parsed { try PortForward($0) }
        }
        return .init(
            spec: spec, autostart: try fields["autostart"]?.bool() ?? false, start: try fields["start"]?.bool() ?? true,
            line: node.line, createBridge: createBridge, bridgeUplink: bridgeUplink, overlay: overlay, host: host)
    }

    private static func vm(_ node: TopologyNode, hosts: [FleetHost]) throws(VNetError) -> Topology.VMEntry {
        let fields = try node.fields(allowed: vmKeys)
        guard let name = try fields["name"]?.string() else { throw node.error("a VM needs a name") }
        let host = try placement(fields["host"], of: "VM '\(name)'", at: node, hosts: hosts)
        var spec = VMSpec(name: name, nics: [])
        if let template = fields["template"] { spec.template = try template.string() }
        if let memory = fields["memory"] {
            if let mebibytes = memory.node.int {
                spec.memoryMiB = mebibytes
            } else {
                spec.memoryMiB = try memory.parsed { try MemorySize.mebibytes($0) }
            }
        }
        spec.vcpus = try fields["vcpus"]?.int() ?? 1
        spec.macSeed = try fields["mac_seed"]?.string()
        spec.settings = try fields["set"]?.stringMap() ?? [:]
        spec.nics = try (fields["nics"]?.list() ?? []).map(nic)
        if spec.nics.isEmpty { throw node.error("VM '\(name)' needs at least one NIC under nics:") }
        return .init(spec: spec, start: try fields["start"]?.bool() ?? true, line: node.line, host: host)
    }

    /// One entry of `nics:`: `{network: N}`, `{bridge: BR}`, `{direct: DEV, mode: M}` or
    /// `{user: true}`, each with optional `model` and `mac` (and `ip` on a network, `net` for user).
    private static func nic(_ node: TopologyNode) throws(VNetError) -> VMSpec.NIC {
        let fields = try node.fields(allowed: nicKeys)
        let kinds = nicKinds.filter { fields[$0] != nil }
        guard kinds.count == 1 else {
            throw node.error(
                kinds.isEmpty
                    ? "a NIC needs a network, bridge, direct or user, e.g. {network: NET} or {user: true}"
                    : "a NIC is one kind, but this names \(kinds.joined(separator: " and ")); give one")
        }
        if let user = fields["user"], try !user.bool() {
            throw user.error("user: false describes no NIC; use user: true or another kind")
        }
        for key in ["ip", "mac", "model", "mode", "net", "backend"] {
            if let field = fields[key] { try field.parsed { try NICOptionParser.checkValue(key, $0) } }
        }
        var parsed = NICOptionParser.Fields()
        parsed.network = try fields["network"]?.string()
        parsed.bridge = try fields["bridge"]?.string()
        if let direct = fields["direct"] {
            parsed.type = "direct"
            parsed.source = try direct.string()
        }
        if fields["user"] != nil { parsed.type = "user" }
        parsed.mode = try fields["mode"]?.string()
        parsed.model = try fields["model"]?.string()
        parsed.mac = try fields["mac"]?.string()
        parsed.ip = try fields["ip"]?.string()
        parsed.net = try fields["net"]?.string()
        parsed.backend = try fields["backend"]?.string()
        do {
            return try NICOptionParser.build(parsed, modeKey: "mode")
        } catch {
            throw node.error(error.message)
        }
    }

    /// Refuses a name given twice on one host; the same name on two hosts names two objects.
    private static func checkNames(_ names: [(name: String, host: String, line: Int)], kind: String, field: String, source: String)
        throws(VNetError)
    {
        var seen: [String: Int] = [:]
        for (index, (name, host, line)) in names.enumerated() {
            if let first = seen["\(host)/\(name)"] {
                throw .invalidInput(
                    "\(source):\(line): \(field)[\(index)].name: \(kind) '\(name)' is described twice (first at line \(first)); "
                        + "names must be unique" + (host == FleetHost.implicitName ? "" : " on a host"))
            }
            seen["\(host)/\(name)"] = line
        }
    }

    /// Refuses one address reserved twice on one network: by two VMs, two NICs of one VM, or a VM
    /// and the network's own `dhcp.hosts`.
    private static func checkReservations(
        _ networks: [Topology.NetworkEntry], _ vms: [Topology.VMEntry], source: String
    ) throws(VNetError) {
        var owners: [String: String] = [:]
        for network in networks {
            for host in network.spec.reservations {
                owners["\(network.host)/\(network.spec.name)/\(host.ip)"] = "network '\(network.spec.name)' (dhcp.hosts, \(host.mac))"
            }
        }
        for vm in vms {
            for (index, nic) in vm.spec.nics.enumerated() {
                guard let ip = nic.ip, let network = nic.network else { continue }
                let key = "\(vm.host)/\(network)/\(ip)"
                if let owner = owners[key] {
                    throw .invalidInput(
                        "\(source):\(vm.line): vms.\(vm.spec.name).nics[\(index)].ip: VM '\(vm.spec.name)' reserves \(ip) on "
                            + "\(network), which \(owner) reserves too; give each its own address")
                }
                owners[key] = "VM '\(vm.spec.name)'"
            }
        }
    }

    private static func describe(_ error: YamlError, in text: String, source: String) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return "\(source):\(mark.line): YAML syntax error: \(problem)" + (context.map { " \($0.text)" } ?? "")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let line = secondOccurrence(of: key, in: text, mapping: context.mark) ?? context.mark.line
            return "\(source):\(line): \(key): given twice in one mapping (which starts on line \(context.mark.line)); keep one"
        default:
            return "\(source): YAML error: \(error)"
        }
    }

    /// The line of the second `key:` at the column where the mapping's keys start, from its first line on.
    private static func secondOccurrence(of key: String, in text: String, mapping: Mark) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var found = 0
        for index in max(mapping.line - 1, 0)..<lines.count {
            let line = Array(lines[index])
            let column = mapping.column - 1
            guard line.count > column, line[..<column].allSatisfy({ $0 == " " || $0 == "-" }),
                String(line[column...]).hasPrefix("\(key):")
            else { continue }
            found += 1
            if found == 2 { return index + 1 }
        }
        return nil
    }
}
