import ArgumentParser
import VNetCore

/// Turns `define network` option text into typed values at parse time, so bad text fails with
/// ArgumentParser's message naming the option.
enum NetworkSpecParsing {
    struct Setting {
        var key: String
        var value: String
    }

    static func subnet(_ text: String) throws -> NetworkSpec.Subnet {
        text == "auto" ? .auto() : .explicit(try IPv4CIDR(text))
    }

    static func forward(_ text: String) throws -> PortForward {
        do {
            return try PortForward(text)
        } catch {
            throw ValidationError(error.message)
        }
    }

    static func setting(_ text: String) throws -> Setting {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("expected KEY=VALUE, like bridge.stp=on")
        }
        return Setting(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }
}

/// What `define network` reports: the plan as defined (or, with --dry-run, as it would be).
struct DefinedNetworkReport: Encodable {
    var name: String
    var model: NetworkModel
    var template: String
    var bridge: String?
    var uplink: String?
    var subnet: String?
    var gateway: String?
    var dhcpRange: RangeValue<IPv4Address>?
    var reservations: [String]
    var forwards: [String]
    var ipv6: String?
    var dryRun: Bool
    var started: Bool
    var autostart: Bool
    /// What could not be checked on a remote host (its addresses and routes).
    var unchecked: [String]
    var xml: String

    init(_ definition: NetworkDefinition, dryRun: Bool, started: Bool, autostart: Bool) {
        let plan = definition.plan
        name = plan.name
        model = plan.model
        template = definition.template
        bridge = plan.bridge ?? plan.hostBridge
        uplink = plan.uplink
        subnet = plan.ipv4?.subnet.description
        gateway = plan.ipv4?.gateway.description
        dhcpRange = plan.ipv4?.dhcp.map { RangeValue($0.range) }
        reservations = plan.ipv4?.dhcp?.reservations.map(\.description) ?? []
        forwards = plan.forwards.map(\.description)
        ipv6 = plan.ipv6.map { "\($0.gateway)/\($0.subnet.prefix)" }
        self.dryRun = dryRun
        self.started = started
        self.autostart = autostart
        unchecked = plan.unchecked
        xml = definition.xml
    }

    var line: String {
        var facts = ["model \(model)"]
        if let bridge { facts.append("bridge \(bridge)") }
        if let uplink { facts.append("uplink \(uplink)") }
        if let subnet, let gateway { facts.append("subnet \(subnet) (host \(gateway))") }
        if let dhcpRange { facts.append("DHCP \(dhcpRange)") }
        if !reservations.isEmpty { facts.append("\(reservations.count) reservation(s)") }
        if !forwards.isEmpty { facts.append("forwards \(forwards.joined(separator: " "))") }
        if let ipv6 { facts.append("IPv6 \(ipv6)") }
        let state = [started ? "started" : "not started", autostart ? "autostart" : nil].compactMap { $0 }
        let note = unchecked.isEmpty ? "" : "; not checked against the remote host's \(unchecked.joined(separator: " and ")), which it does not report"
        return "defined network \(name): \(facts.joined(separator: ", ")); \(state.joined(separator: ", "))\(note)"
    }
}

extension String {
    var trimmingTrailingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
