/// Turns a `HostPicture` into Graphviz DOT text: top down from the VMs through their taps and
/// bridges to the uplinks, each libvirt network a box in its model's colour, port forwards as red
/// arrows from the uplink to the guest.
///
/// Every node and edge has an `id` that the SVG keeps (`vm:NAME`, `net:NAME`, `tap:DEV`,
/// `bridge:NAME`, `link:NAME`; `edge:FROM->TO`, `forward:NETWORK:PROTO:PORT`), so that scripts and
/// tests can find them.
public enum HostGraph {
    /// The fill and the line colour of each model's box.
    static func colours(_ model: String) -> (fill: String, line: String) {
        switch model {
        case "isolated": ("#eeeeee", "#757575")
        case "routed": ("#e3f2fd", "#1e88e5")
        case "nat": ("#e8f5e9", "#43a047")
        case "bridged": ("#fff3e0", "#fb8c00")
        default: ("#f3e5f5", "#8e24aa")
        }
    }

    /// The DOT text of `picture`, titled `title`.
    public static func dot(_ picture: HostPicture, title: String = "vnetctl") -> String {
        var lines = [
            "digraph \(quoted(title)) {",
            "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=12, nodesep=0.4, ranksep=0.6, compound=true, newrank=true, "
                + "label=\(quoted(title)), labelloc=t];",
            "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=white];",
            "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.6];",
        ]
        var edges: [String] = []
        func edge(_ from: String, _ to: String, port: String? = nil, headPort: String? = nil, id: String? = nil, _ attributes: [String] = []) {
            let source = quoted(from) + (port.map { ":\(quoted($0))" } ?? "")
            let target = quoted(to) + (headPort.map { ":\(quoted($0))" } ?? "")
            let all = ["id=\(quoted(id ?? "edge:\(from)->\(to)"))"] + attributes
            edges.append("  \(source) -> \(target) [\(all.joined(separator: ", "))];")
        }

        // The node a tap on `bridge` joins: the network that owns or uses it, else the host bridge.
        var bridgeNodes: [String: String] = [:]
        for network in picture.networks {
            if let bridge = network.bridge, bridgeNodes[bridge] == nil { bridgeNodes[bridge] = "net:\(network.name)" }
        }
        for bridge in picture.bridges where bridgeNodes[bridge.name] == nil { bridgeNodes[bridge.name] = "bridge:\(bridge.name)" }

        lines.append("  subgraph uplinks { rank=sink;")
        for uplink in picture.uplinks {
            let label = [uplink.name] + uplink.addresses + (uplink.defaultRoute ? ["default route"] : [])
            lines.append("    \(quoted("link:\(uplink.name)")) [id=\(quoted("link:\(uplink.name)")), label=\(quoted(label)), "
                + "fillcolor=\"#cfd8dc\", color=\"#455a64\", penwidth=1.5];")
        }
        lines.append("  }")

        for bridge in picture.bridges where bridgeNodes[bridge.name] == "bridge:\(bridge.name)" {
            let id = "bridge:\(bridge.name)"
            let label = [bridge.name, "host bridge"] + bridge.addresses
            lines.append("  \(quoted(id)) [id=\(quoted(id)), label=\(quoted(label)), fillcolor=\"#ffe0b2\", color=\"#fb8c00\"];")
            for port in bridge.ports { edge(id, "link:\(port)", ["label=\"port\"", "arrowhead=none", "color=\"#fb8c00\""]) }
        }

        var tapsByNode: [String: [String]] = [:]
        for vm in picture.vms {
            for nic in vm.nics {
                if let tap = nic.tap, let node = nic.bridge.flatMap({ bridgeNodes[$0] }) ?? nic.network.map({ "net:\($0)" }) {
                    tapsByNode[node, default: []].append(tap)
                }
            }
        }

        for (index, network) in picture.networks.enumerated() {
            let (fill, line) = colours(network.model)
            let state = network.planned ? "planned" : network.active ? nil : "inactive"
            let heading = "\(network.name) · \(network.model)" + (state.map { " · \($0)" } ?? "")
            lines.append("  subgraph \(quoted("cluster_net_\(index)")) {")
            lines.append("    id=\(quoted("cluster:\(network.name)")); label=\(quoted(heading)); labeljust=l; fontsize=11; "
                + "style=\"rounded,filled\(network.active || network.planned ? "" : ",dashed")\"; fillcolor=\(quoted(fill)); "
                + "color=\(quoted(line)); penwidth=1.5;")
            let id = "net:\(network.name)"
            let bridgeLine = network.macvtap ? "macvtap on \(network.uplinks.joined(separator: ", "))"
                : network.model == "bridged" ? "host bridge \(network.bridge ?? "-")" : network.bridge ?? "bridge at start"
            let label = [bridgeLine] + network.addresses + network.dhcpRanges.map { "DHCP \($0)" }
            lines.append("    \(quoted(id)) [id=\(quoted(id)), label=\(quoted(label)), color=\(quoted(line)), penwidth=1.5];")
            for tap in tapsByNode[id] ?? [] {
                lines.append("    \(quoted("tap:\(tap)")) [id=\(quoted("tap:\(tap)")), label=\(quoted([tap, "tap"])), "
                    + "shape=box, style=\"filled\", fillcolor=white, color=\(quoted(line)), fontsize=9];")
            }
            lines.append("  }")
            let way: String? = switch network.model {
            case "nat": "NAT"
            case "routed": "routed"
            case "open": "open"
            case "bridged": network.macvtap ? "macvtap" : nil
            default: nil
            }
            if let way {
                for uplink in network.uplinks {
                    edge(id, "link:\(uplink)", ["label=\(quoted(way))", "color=\(quoted(line))", "penwidth=1.5"])
                }
            }
            if network.model == "bridged", !network.macvtap, let bridge = picture.bridges.first(where: { $0.name == network.bridge }) {
                for port in bridge.ports { edge(id, "link:\(port)", ["label=\"port\"", "arrowhead=none", "color=\(quoted(line))"]) }
            }
        }

        for vm in picture.vms {
            let id = "vm:\(vm.name)"
            var rows = ["<TR><TD BGCOLOR=\"#37474f\"><FONT COLOR=\"white\"><B>\(html(vm.name))</B></FONT></TD></TR>",
                        "<TR><TD BGCOLOR=\"#eceff1\"><FONT POINT-SIZE=\"9\">\(html(vm.state))</FONT></TD></TR>"]
            for (index, nic) in vm.nics.enumerated() {
                let facts = [nic.mac ?? "MAC at define", nic.address ?? (nic.kind == "user" ? "user mode (SLIRP)" : "no address known")]
                rows.append("<TR><TD PORT=\"n\(index)\" ALIGN=\"LEFT\">"
                    + facts.map { "\(html($0))<BR ALIGN=\"LEFT\"/>" }.joined() + "</TD></TR>")
            }
            let table = "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"4\" BGCOLOR=\"white\" COLOR=\"#37474f\">"
                + rows.joined() + "</TABLE>"
            lines.append("  \(quoted(id)) [id=\(quoted(id)), shape=none, style=\"\", margin=0, label=<\(table)>];")
            for (index, nic) in vm.nics.enumerated() {
                let port = "n\(index)"
                if nic.kind == "direct", let dev = nic.dev {
                    let target = nic.tap.map { "tap:\($0)" }
                    if let target, let tap = nic.tap {
                        lines.append("  \(quoted(target)) [id=\(quoted(target)), label=\(quoted([tap, "macvtap"])), style=\"filled\", "
                            + "fillcolor=white, fontsize=9];")
                        edge(id, target, port: port, ["arrowhead=none"])
                        edge(target, "link:\(dev)", ["label=\"macvtap\"", "arrowhead=none"])
                    } else {
                        edge(id, "link:\(dev)", port: port, ["label=\"macvtap\"", "style=dashed", "arrowhead=none"])
                    }
                    continue
                }
                guard let node = nic.bridge.flatMap({ bridgeNodes[$0] }) ?? nic.network.map({ "net:\($0)" }) else { continue }
                if let tap = nic.tap {
                    edge(id, "tap:\(tap)", port: port, ["arrowhead=none", "penwidth=1.5"])
                    edge("tap:\(tap)", node, ["arrowhead=none", "penwidth=1.5"])
                } else {
                    edge(id, node, port: port, ["arrowhead=none", "style=dashed", "tooltip=\"no tap: the VM is not running\""])
                }
            }
        }

        for network in picture.networks {
            guard let uplink = network.uplinks.first else { continue }
            for forward in network.forwards {
                let target = forwardTarget(forward, picture: picture)
                let host = (forward.address.map { "\($0)" } ?? "") + ":\(forward.hostPorts)"
                let guest = (forward.guest.map { "\($0)" } ?? forward.vm ?? "") + ":\(forward.guestPorts)"
                edge("link:\(uplink)", target?.vm ?? "net:\(network.name)", headPort: target?.port,
                     id: "forward:\(network.name):\(forward.proto.rawValue):\(forward.hostPorts)",
                     ["label=\(quoted("\(forward.proto.rawValue) \(host) → \(guest)"))", "color=\"#e53935\"", "fontcolor=\"#e53935\"",
                      "style=bold", "constraint=false"])
            }
        }
        return (lines + edges + ["}"]).joined(separator: "\n") + "\n"
    }

    /// The VM node and NIC port a forward reaches: by its VM name, else by the NIC holding its guest address.
    static func forwardTarget(_ forward: PortForward, picture: HostPicture) -> (vm: String, port: String)? {
        for vm in picture.vms {
            for (index, nic) in vm.nics.enumerated() {
                if let guest = forward.guest, nic.address == guest.description { return ("vm:\(vm.name)", "n\(index)") }
            }
        }
        guard let name = forward.vm, let vm = picture.vms.first(where: { $0.name == name }), !vm.nics.isEmpty else { return nil }
        return ("vm:\(vm.name)", "n0")
    }

    /// A DOT string: in quotes, with quotes and backslashes escaped; lines joined by centred line breaks.
    static func quoted(_ lines: [String]) -> String {
        quoted(lines.joined(separator: "\n"))
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }

    /// Text for a Graphviz HTML-like label.
    static func html(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
