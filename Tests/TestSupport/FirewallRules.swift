import Foundation

/// One rule as `iptables-save` prints it (`-A CHAIN …`), with the table it is in.
public struct FirewallRule: Sendable, Equatable, CustomStringConvertible {
    public var table: String
    public var chain: String
    /// The whole line after `-A CHAIN`, split on spaces.
    public var tokens: [String]

    public var description: String { "[\(table)] -A \(chain) \(tokens.joined(separator: " "))" }

    /// The value after `option` (e.g. `-s`, `-o`, `-j`) when the option is not negated.
    public func value(of option: String) -> String? {
        guard let index = tokens.firstIndex(of: option), index + 1 < tokens.count else { return nil }
        if index > 0, tokens[index - 1] == "!" { return nil }
        return tokens[index + 1]
    }

    /// The value after `! option` (e.g. `! -d 10.123.4.0/24`).
    public func negatedValue(of option: String) -> String? {
        guard let index = tokens.firstIndex(of: option), index > 0, tokens[index - 1] == "!",
            index + 1 < tokens.count
        else { return nil }
        return tokens[index + 1]
    }

    /// The jump target (`ACCEPT`, `REJECT`, `MASQUERADE`, a chain…).
    public var target: String? { value(of: "-j") }

    /// True when `word` is one whole token of the rule (so `vntab` does not match `vntabc`).
    public func mentions(_ word: String) -> Bool { tokens.contains(word) }

    /// Deletes this rule (`iptables -t TABLE -D CHAIN …`): for cleaning up rules that libvirt
    /// left behind, never for rules a test did not cause.
    public func delete() throws {
        try Command.output(["iptables", "-w", "-t", table, "-D", chain] + tokens)
    }

    /// True when the rule matches on input or output interface `bridge`.
    public func matchesInterface(_ bridge: String) -> Bool {
        value(of: "-i") == bridge || value(of: "-o") == bridge
    }
}

/// The host's IPv4 firewall as `iptables-save` prints it. On this Debian 12 host iptables is
/// iptables-nft, and libvirt 9.0 writes its rules through it, in these chains:
/// nat `LIBVIRT_PRT` (MASQUERADE), mangle `LIBVIRT_PRT` (DHCP checksum fill), filter
/// `LIBVIRT_FWI`/`LIBVIRT_FWO`/`LIBVIRT_FWX` (forwarding), `LIBVIRT_INP`/`LIBVIRT_OUT` (DHCP, DNS).
public struct FirewallRules: Sendable {
    public var rules: [FirewallRule]

    /// Parses `iptables-save` output.
    public init(iptablesSave text: String) {
        var table = ""
        var rules: [FirewallRule] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("*") {
                table = String(line.dropFirst())
            } else if line.hasPrefix("-A ") {
                let words = line.split(separator: " ").map(String.init)
                guard words.count >= 2 else { continue }
                rules.append(FirewallRule(table: table, chain: words[1], tokens: Array(words.dropFirst(2))))
            }
        }
        self.rules = rules
    }

    /// The rules in force now.
    public static func current() throws -> FirewallRules {
        FirewallRules(iptablesSave: try Command.output(["iptables-save"]))
    }

    /// Rules of `table` (and `chain`, when given).
    public func rules(table: String, chain: String? = nil) -> [FirewallRule] {
        rules.filter { $0.table == table && (chain == nil || $0.chain == chain) }
    }

    /// Every rule anywhere that has `word` as a whole token (a bridge name, a subnet).
    public func rules(mentioning word: String) -> [FirewallRule] {
        rules.filter { $0.mentions(word) }
    }

    /// nat-table MASQUERADE rules for traffic from `subnet` (`10.123.4.0/24`).
    public func masqueradeRules(forSubnet subnet: String) -> [FirewallRule] {
        rules.filter { $0.table == "nat" && $0.target == "MASQUERADE" && $0.value(of: "-s") == subnet }
    }

    /// Every nat-table rule that matches on `subnet` as source or destination.
    public func natRules(forSubnet subnet: String) -> [FirewallRule] {
        rules.filter { $0.table == "nat" && $0.mentions(subnet) }
    }

    /// filter-table rules in libvirt's forwarding chains (`LIBVIRT_FW*`) or the FORWARD chain
    /// that match `bridge` as input or output interface.
    public func forwardRules(mentioning bridge: String) -> [FirewallRule] {
        rules.filter {
            $0.table == "filter" && ($0.chain.hasPrefix("LIBVIRT_FW") || $0.chain == "FORWARD")
                && $0.matchesInterface(bridge)
        }
    }

    /// Forwarding rules for `bridge` that ACCEPT.
    public func forwardAccepts(bridge: String) -> [FirewallRule] {
        forwardRules(mentioning: bridge).filter { $0.target == "ACCEPT" }
    }

    /// Forwarding rules for `bridge` that REJECT or DROP.
    public func forwardRejects(bridge: String) -> [FirewallRule] {
        forwardRules(mentioning: bridge).filter { $0.target == "REJECT" || $0.target == "DROP" }
    }

    /// ACCEPT rules that forward traffic between `bridge` and other interfaces for `subnet`:
    /// outbound `-s SUBNET -i BR` (LIBVIRT_FWO) or inbound `-d SUBNET -o BR` (LIBVIRT_FWI).
    /// The bridge-to-itself rule (LIBVIRT_FWX `-i BR -o BR`) is not one of them.
    public func subnetForwardAccepts(subnet: String, bridge: String) -> [FirewallRule] {
        forwardAccepts(bridge: bridge).filter { rule in
            let outbound = rule.value(of: "-i") == bridge && rule.value(of: "-o") == nil && rule.value(of: "-s") == subnet
            let inbound = rule.value(of: "-o") == bridge && rule.value(of: "-i") == nil && rule.value(of: "-d") == subnet
            return outbound || inbound
        }
    }

    /// Input rules letting guests on `bridge` reach the host's DHCP and DNS (`LIBVIRT_INP`).
    public func inputRules(bridge: String) -> [FirewallRule] {
        rules.filter { $0.table == "filter" && $0.chain == "LIBVIRT_INP" && $0.value(of: "-i") == bridge }
    }
}
