import ArgumentParser
import VNetCore

/// `vnetctl define network NAME --model …`: a libvirt network in one of the KVM models, from a template.
struct DefineNetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Define a network: isolated, routed, nat, bridged or open.",
        discussion: """
            The address plan is checked before anything is defined: the subnet must overlap no libvirt \
            network and no host address or route, the bridge name must be free, and the rendered XML \
            must pass libvirt's network.rng. --dry-run prints that XML and changes nothing.
            """)

    @Argument(help: "The network's name.")
    var name: String

    @Option(help: "isolated, routed, nat, bridged or open.")
    var model: NetworkModel

    @Option(help: "IPv4 subnet as CIDR (10.123.4.0/24), or 'auto' for the first free /24 of 10.200.0.0/16.",
            transform: NetworkSpecParsing.subnet)
    var subnet: NetworkSpec.Subnet?

    @Option(name: .customLong("subnet-pool"), help: "The pool --subnet auto draws /24s from (default 10.200.0.0/16).",
            transform: { try IPv4CIDR($0) })
    var subnetPool: IPv4CIDR?

    @Option(help: "IPv6 subnet for dual stack (fd00:123::/64).", transform: { try IPv6CIDR($0) })
    var ipv6: IPv6CIDR?

    @Option(help: "Bridge name (libvirt creates it; for bridged: the existing host bridge).")
    var bridge: String?

    @Option(help: "Uplink device: forward device for routed/nat, macvtap parent for bridged.")
    var uplink: String?

    @Option(name: .customLong("dhcp-range"), help: "DHCP range FIRST-LAST (default: the subnet after the gateway).",
            transform: { try IPv4Range($0) })
    var dhcpRange: IPv4Range?

    @Flag(name: .customLong("no-dhcp"), help: "No DHCP server on the network.")
    var noDHCP = false

    @Flag(name: .customLong("no-host-ip"), help: "Isolated only: no host address, guests reach only each other.")
    var noHostIP = false

    @Option(name: .customLong("host"), help: "DHCP reservation MAC,IP[,HOSTNAME], also a DNS host entry (repeatable).",
            transform: { try DHCPReservation($0) })
    var reservations: [DHCPReservation] = []

    @Option(help: "DNS domain served to the guests.")
    var domain: String?

    @Option(help: "MTU of the network's bridge and guests' NICs.")
    var mtu: Int?

    @Option(name: .customLong("forward"),
            help: "nat: port forward [ADDR:]tcp|udp:HOSTPORT[-LAST]:GUEST:PORT[-LAST], GUEST a VM name or address (repeatable).",
            transform: NetworkSpecParsing.forward)
    var forwards: [PortForward] = []

    @Option(help: "Your own template file instead of the model's shipped one.", completion: .file(extensions: ["mustache"]))
    var template: String?

    @Option(name: .customLong("set"), help: "Template value KEY=VALUE, e.g. bridge.stp=on (repeatable).",
            transform: NetworkSpecParsing.setting)
    var settings: [NetworkSpecParsing.Setting] = []

    @Flag(help: "Start the network when the host boots.")
    var autostart = false

    @Flag(help: "Start the network now.")
    var start = false

    @Flag(name: .customLong("dry-run"), help: "Print the XML and change nothing.")
    var dryRun = false

    @Flag(name: .customLong("create-bridge"),
          help: "Bridged model: create the host bridge --bridge first (as 'host-bridge create'), with --uplink as its port.")
    var createBridge = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if subnetPool != nil, subnet != nil, subnet != .auto() {
            throw ValidationError("--subnet-pool applies to --subnet auto only; drop one of them")
        }
        if noDHCP, dhcpRange != nil {
            throw ValidationError("--dhcp-range and --no-dhcp contradict each other; give one")
        }
        if createBridge, model != .bridged || bridge == nil {
            throw ValidationError("--create-bridge needs --model bridged and --bridge BR")
        }
    }

    var spec: NetworkSpec {
        NetworkSpec(
            name: name, model: model, subnet: subnetPool.map { .auto(pool: $0) } ?? subnet, ipv6: ipv6, bridge: bridge, uplink: createBridge ? nil : uplink,
            dhcpRange: dhcpRange, dhcp: !noDHCP, hostIP: !noHostIP, reservations: reservations, domain: domain,
            mtu: mtu, templatePath: template,
            settings: Dictionary(settings.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }), forwards: forwards)
    }

    func run() throws {
        let connection = try global.connection(readOnly: dryRun)
        let (definition, hostBridge, bridgeService, hookNote) = try NetworkDefiner.run(
            spec, on: connection, autostart: autostart, start: start, dryRun: dryRun, createBridge: createBridge,
            bridgeUplink: uplink, lockWait: global.lockWait)
        let started = start && !dryRun
        ForwardsHookNote.print(hookNote.map { [$0] } ?? [])
        if let hostBridge, !global.json {
            var bridgeReport = HostBridgeReport(hostBridge, action: "create", dryRun: dryRun)
            bridgeReport.service = bridgeService
            print(bridgeReport.text)
        }
        let report = DefinedNetworkReport(definition, dryRun: dryRun, started: started, autostart: autostart && !dryRun)
        Output.emit(report, json: global.json) {
            dryRun ? definition.xml.trimmingTrailingNewline : report.line
        }
    }
}

extension NetworkModel: ExpressibleByArgument {}
