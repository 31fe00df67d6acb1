import Foundation

/// vnetctl's network models, as the tests name them.
public enum LabModel: String, Sendable, CaseIterable, CustomStringConvertible {
    case isolated, routed, nat, bridged, open
    public var description: String { rawValue }
}

/// A DHCP reservation, `--host MAC,IP[,HOSTNAME]`.
public struct LabReservation: Sendable {
    public var mac: String
    public var ip: String
    public var hostname: String?
    public init(mac: String, ip: String, hostname: String? = nil) {
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
    }
    /// `MAC,IP[,HOSTNAME]`, the form of `--host` and of dnsmasq's hostsfile lines.
    public var argument: String { [mac, ip, hostname].compactMap { $0 }.joined(separator: ",") }
}

/// A libvirt network on `qemu:///system` made for one test, with a unique `vnt-net-xxxxxx` name
/// and (for the models where libvirt makes the bridge) a unique `vntxxxxxxb` bridge, in
/// 10.123.X.0/24 with the host at 10.123.X.1. Removed by `remove()` or on deinit, through virsh,
/// whatever state the network was left in.
///
/// `make` is the one place a test's network is created. With the `vnetctl` backend (the default)
/// it runs `vnetctl -c qemu:///system define network … --start`; with `VNT_LAB_BACKEND=virsh` in
/// the environment it defines the equivalent XML with `virsh net-define` instead, so the proofs
/// can be run against libvirt itself.
public final class LabNetwork {
    public enum Backend: String, Sendable {
        case vnetctl, virsh

        /// `VNT_LAB_BACKEND` (`vnetctl` or `virsh`), else vnetctl.
        public static var selected: Backend {
            ProcessInfo.processInfo.environment["VNT_LAB_BACKEND"].flatMap(Backend.init(rawValue:)) ?? .vnetctl
        }
    }

    /// A network definition that failed.
    public struct DefineFailure: Error, CustomStringConvertible {
        public var arguments: [String]
        public var result: CommandResult
        public var description: String { "\(arguments.joined(separator: " ")) failed: \(result)" }
    }

    public let name: String
    public let model: LabModel
    /// Third octet of 10.123.X.0/24 (nil for bridged networks, which have no subnet of libvirt's).
    public let octet: Int?
    /// The bridge: libvirt's new one for isolated/routed/nat/open, the existing one for bridged.
    public let bridge: String?
    public let uplink: String?
    public let backend: Backend
    /// What `vnetctl define network` printed (vnetctl backend).
    public private(set) var defineResult: CommandResult?
    private var mayExist = false

    /// Whether the network also has the IPv6 subnet `ipv6Subnet`.
    public let hasIPv6: Bool

    /// `10.123.X.0/24`.
    public var subnet: String? { octet.map { "10.123.\($0).0/24" } }
    /// `fd00:123:X::/64`, when the network has IPv6.
    public var ipv6Subnet: String? { hasIPv6 ? octet.map { "fd00:123:\($0)::/64" } : nil }
    /// The host's address on the bridge, the first usable one: `10.123.X.1`.
    public var gateway: String? { octet.map { "10.123.\($0).1" } }
    /// `10.123.X.HOST`.
    public func address(_ host: Int) -> String? { octet.map { "10.123.\($0).\(host)" } }

    private init(
        name: String, model: LabModel, octet: Int?, hasIPv6: Bool, bridge: String?, uplink: String?, backend: Backend
    ) {
        self.name = name
        self.model = model
        self.octet = octet
        self.hasIPv6 = hasIPv6
        self.bridge = bridge
        self.uplink = uplink
        self.backend = backend
    }

    /// Defines (and with `start`, starts) a network of `model`.
    ///
    /// - `octet`: for non-bridged models, a free 10.123.X.0/24 is chosen when nil.
    /// - `bridge`: for non-bridged models a fresh `vntxxxxxxb` when nil; for bridged, the
    ///   existing host bridge (or nil together with `uplink` for macvtap).
    /// - `dhcpRange`: `FIRST-LAST`; nil means the default (10.123.X.2-10.123.X.254).
    /// - `ipv6`: also give it `fd00:123:X::/64` (not for bridged).
    public static func make(
        model: LabModel, octet: Int? = nil, bridge: String? = nil, uplink: String? = nil,
        dhcpRange: String? = nil, dhcp: Bool = true, hosts: [LabReservation] = [], ipv6: Bool = false,
        start: Bool = true, backend: Backend = .selected
    ) throws -> LabNetwork {
        let id = NetObjectNames.id()
        let bridged = model == .bridged
        let network = LabNetwork(
            name: "vnt-net-\(id)", model: model,
            octet: bridged ? nil : try octet ?? TestSubnets.freeThirdOctet(), hasIPv6: ipv6 && !bridged,
            bridge: bridged ? bridge : bridge ?? NetObjectNames.interface(id, "b"),
            uplink: uplink, backend: backend)
        network.mayExist = true
        do {
            switch backend {
            case .vnetctl:
                try network.defineWithVNetCtl(dhcpRange: dhcpRange, dhcp: dhcp, hosts: hosts, start: start)
            case .virsh:
                try Virsh.defineAndStart(
                    xml: network.xml(dhcpRange: dhcpRange, dhcp: dhcp, hosts: hosts), name: network.name, start: start)
            }
        } catch {
            network.remove()
            throw error
        }
        return network
    }

    /// The `vnetctl define network` arguments for this network.
    public func vnetctlArguments(dhcpRange: String?, dhcp: Bool, hosts: [LabReservation], start: Bool) -> [String] {
        var arguments = ["-c", Virsh.uri, "define", "network", name, "--model", model.rawValue]
        if let subnet { arguments += ["--subnet", subnet] }
        if let ipv6Subnet { arguments += ["--ipv6", ipv6Subnet] }
        if let bridge { arguments += ["--bridge", bridge] }
        if let uplink { arguments += ["--uplink", uplink] }
        if !dhcp {
            arguments.append("--no-dhcp")
        } else if let dhcpRange {
            arguments += ["--dhcp-range", dhcpRange]
        }
        for host in hosts { arguments += ["--host", host.argument] }
        if start { arguments.append("--start") }
        return arguments
    }

    private func defineWithVNetCtl(dhcpRange: String?, dhcp: Bool, hosts: [LabReservation], start: Bool) throws {
        let arguments = vnetctlArguments(dhcpRange: dhcpRange, dhcp: dhcp, hosts: hosts, start: start)
        let result = try VNetCtlBinary.run(arguments)
        defineResult = result
        guard result.status == 0 else {
            throw DefineFailure(arguments: ["vnetctl"] + arguments, result: result)
        }
    }

    /// The libvirt XML equivalent to what vnetctl is to define (virsh backend).
    public func xml(dhcpRange: String?, dhcp: Bool, hosts: [LabReservation]) -> String {
        var lines = ["<network>", "  <name>\(name)</name>"]
        switch model {
        case .isolated: break
        case .routed: lines.append(uplink.map { "  <forward mode='route' dev='\($0)'/>" } ?? "  <forward mode='route'/>")
        case .nat: lines.append(uplink.map { "  <forward mode='nat' dev='\($0)'/>" } ?? "  <forward mode='nat'/>")
        case .open: lines.append("  <forward mode='open'/>")
        case .bridged:
            if let uplink, bridge == nil {
                lines.append("  <forward mode='bridge'><interface dev='\(uplink)'/></forward>")
            } else {
                lines.append("  <forward mode='bridge'/>")
            }
        }
        if model == .bridged {
            if let bridge { lines.append("  <bridge name='\(bridge)'/>") }
        } else if let bridge, let octet {
            lines.append("  <bridge name='\(bridge)' stp='off' delay='0'/>")
            lines.append("  <ip address='10.123.\(octet).1' prefix='24'>")
            if dhcp {
                let range = (dhcpRange ?? "10.123.\(octet).2-10.123.\(octet).254").split(separator: "-")
                lines.append("    <dhcp>")
                lines.append("      <range start='\(range[0])' end='\(range[1])'/>")
                for host in hosts {
                    let name = host.hostname.map { " name='\($0)'" } ?? ""
                    lines.append("      <host mac='\(host.mac)' ip='\(host.ip)'\(name)/>")
                }
                lines.append("    </dhcp>")
            }
            lines.append("  </ip>")
            if hasIPv6 { lines.append("  <ip family='ipv6' address='fd00:123:\(octet)::1' prefix='64'/>") }
        }
        lines.append("</network>")
        return lines.joined(separator: "\n")
    }

    /// Stops and undefines the network through virsh (not through the code under test), whatever
    /// state it is in. Safe to call more than once; also runs on deinit.
    public func remove() {
        guard mayExist else { return }
        Virsh.destroyAndUndefine(name)
        mayExist = false
    }

    deinit { remove() }
}
