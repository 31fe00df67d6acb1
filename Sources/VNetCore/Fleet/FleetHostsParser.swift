/// The hosts part of a topology file: `hosts:` and the `host:` of each network and VM.
extension TopologyParser {
    static let fleetHostKeys = ["uri", "address"]

    /// `hosts:`, a mapping of host name to `{uri: URI, address: IP}`; without it, the implicit host.
    static func fleetHosts(_ node: TopologyNode?) throws(VNetError) -> [FleetHost] {
        guard let node else { return [.implicit] }
        guard let mapping = node.node.mapping else {
            throw node.error("expected a mapping of host name to {uri: URI}, e.g. h1: {uri: \"qemu:///system\"}")
        }
        guard !mapping.isEmpty else { throw node.error("names no host; give NAME: {uri: URI} or leave hosts: out") }
        var hosts: [FleetHost] = []
        for (key, value) in mapping {
            let line = key.mark?.line ?? node.line
            guard let name = key.string else { throw node.error("host names must be text") }
            let path = "hosts.\(name)"
            do {
                _ = try ObjectName(name)
            } catch {
                throw .invalidInput("\(node.source):\(line): \(path): host name \(error.message)")
            }
            if let first = hosts.first(where: { $0.name == name }) {
                throw .invalidInput("\(node.source):\(line): \(path): given twice (first at line \(first.line)); keep one")
            }
            let fields = try TopologyNode(node: value, path: path, source: node.source).fields(allowed: fleetHostKeys)
            guard let uriNode = fields["uri"] else {
                throw .invalidInput("\(node.source):\(line): \(path): a host needs uri: (its libvirt URI, e.g. qemu+ssh://root@kvm2/system)")
            }
            let uri = try uriNode.string()
            guard uri.contains(":") else {
                throw uriNode.error("'\(uri)' is not a libvirt URI; give one such as qemu:///system or qemu+ssh://root@kvm2/system")
            }
            let address = try fields["address"]?.parsed { try IPv4Address($0) }
            hosts.append(FleetHost(name: name, uri: uri, address: address, line: line))
        }
        return hosts
    }

    /// The host a network or VM names with `host:`, or the file's one host when it names none.
    ///
    /// A file without `hosts:` takes no `host:`; one with several hosts needs it on every entry.
    static func placement(_ node: TopologyNode?, of what: String, at entry: TopologyNode, hosts: [FleetHost])
        throws(VNetError) -> String
    {
        let names = hosts.map(\.name).joined(separator: ", ")
        guard let node else {
            guard hosts.count == 1 else {
                throw entry.error("\(what) needs host: (one of \(names)), since the file names more than one host")
            }
            return hosts[0].name
        }
        let name = try node.string()
        if hosts.count == 1, hosts[0].isImplicit {
            throw node.error("host '\(name)' is not under hosts:, and the file names no hosts:; add hosts: or leave host: out")
        }
        guard hosts.contains(where: { $0.name == name }) else {
            throw node.error("unknown host '\(name)'; the file's hosts: names \(names)")
        }
        return name
    }
}
