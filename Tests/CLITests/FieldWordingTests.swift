import Libvirt
import TestSupport
import Testing
@testable import VNetCommands
@testable import VNetCore

/// One planner refusal, worded by field, as each front end words it: the command line by flag, a
/// topology file by key after its file and line, Ansible by the module argument of an inline topology.
@Suite(.onTestThreads) struct FieldWordingTests {
    struct Case: Sendable, CustomStringConvertible {
        var spec: NetworkSpec
        var field: SpecField
        var library: String
        var commandLine: String
        var file: String
        var ansible: String
        var description: String { library }
    }

    static let cases = [
        Case(
            spec: NetworkSpec(name: "lab", model: .nat, mtu: 10), field: .mtu,
            library: "mtu 10 is out of range 68-65535; give a value in it",
            commandLine: "--mtu 10 is out of range 68-65535; give a value in it",
            file: "lab.yaml:7: mtu 10 is out of range 68-65535; give a value in it",
            ansible: "topology.networks[0].mtu 10 is out of range 68-65535; give a value in it"),
        Case(
            spec: NetworkSpec(
                name: "lab", model: .nat, subnet: .explicit(try! IPv4CIDR("10.123.4.0/24")),
                dhcpRange: try! IPv4Range("10.123.4.100-10.123.5.10")),
            field: .dhcpRange,
            library: "dhcp range 10.123.4.100-10.123.5.10 is outside subnet 10.123.4.0/24; use addresses from 10.123.4.2 to 10.123.4.254",
            commandLine: "--dhcp-range 10.123.4.100-10.123.5.10 is outside subnet 10.123.4.0/24; use addresses from 10.123.4.2 to 10.123.4.254",
            file: "lab.yaml:7: dhcp.range 10.123.4.100-10.123.5.10 is outside subnet 10.123.4.0/24; use addresses from 10.123.4.2 to 10.123.4.254",
            ansible: "topology.networks[0].dhcp.range 10.123.4.100-10.123.5.10 is outside subnet 10.123.4.0/24; use addresses from 10.123.4.2 to 10.123.4.254"),
        Case(
            spec: NetworkSpec(name: "lan", model: .bridged, bridge: "br9"), field: .bridge,
            library: "bridge br9 does not exist on this host; the bridged model needs an existing host bridge (create it first) "
                + "or an uplink device for macvtap; or add create bridge",
            commandLine: "--bridge br9 does not exist on this host; the bridged model needs an existing host bridge (create it first) "
                + "or an uplink device for macvtap; or add --create-bridge",
            file: "lab.yaml:7: bridge br9 does not exist on this host; the bridged model needs an existing host bridge (create it first) "
                + "or an uplink device for macvtap; or add create_bridge: true",
            ansible: "topology.networks[0].bridge br9 does not exist on this host; the bridged model needs an existing host bridge "
                + "(create it first) or an uplink device for macvtap; or add create_bridge: true"),
    ]

    @Test(arguments: cases)
    func eachFrontEndNamesTheFieldItsOwnWay(_ item: Case) throws {
        let environment = NetworkEnvironment(networks: [], links: [], addresses: [], routes: [])
        let error = try #require(#expect(throws: VNetError.self) { try NetworkPlanner.plan(item.spec, in: environment) })
        #expect(error.field == item.field)
        #expect(error.message == item.library)
        #expect(error.commandLineMessage == item.commandLine)
        let placed = TopologyPlanner.placed(error, entry: "networks[0]", line: 7, source: "lab.yaml")
        #expect(placed.message == item.file)
        #expect(placed.commandLineMessage == item.file)
        #expect(AnsibleModule.message(for: placed, inline: true) == item.ansible)
        #expect(AnsibleModule.message(for: placed, inline: false) == item.file)
    }

    /// A refusal that asks for an operation option, not a field: each front end asks for it its own
    /// way, in the same sentence.
    struct OptionCase: Sendable, CustomStringConvertible {
        var error: VNetError
        var library: String
        var commandLine: String
        var ansible: String
        var description: String { library }
    }

    static let optionCases = [
        OptionCase(
            error: .asking(.invalidInput, "vm 'web' is running; stop it first ('vnetctl stop vm web'), or ", for: .force,
                           then: " to power it off and undefine it"),
            library: "vm 'web' is running; stop it first ('vnetctl stop vm web'), or force to power it off and undefine it",
            commandLine: "vm 'web' is running; stop it first ('vnetctl stop vm web'), or add --force to power it off and undefine it",
            ansible: "vm 'web' is running; stop it first ('vnetctl stop vm web'), or set force: true to power it off and undefine it"),
        OptionCase(
            error: .asking(.invalidInput, "lab.yaml:3: networks.ov: an overlay is applied per host; apply the file's hosts: (or one with ",
                           for: .host, value: "NAME", then: ")"),
            library: "lab.yaml:3: networks.ov: an overlay is applied per host; apply the file's hosts: (or one with host NAME)",
            commandLine: "lab.yaml:3: networks.ov: an overlay is applied per host; apply the file's hosts: (or one with --host NAME)",
            ansible: "lab.yaml:3: networks.ov: an overlay is applied per host; apply the file's hosts: (or one with host: NAME)"),
    ]

    @Test(arguments: optionCases)
    func eachFrontEndAsksForTheOptionItsOwnWay(_ item: OptionCase) {
        #expect(item.error.field == nil)
        #expect(item.error.message == item.library)
        #expect(item.error.commandLineMessage == item.commandLine)
        #expect(AnsibleModule.message(for: item.error, inline: true) == item.ansible)
        #expect(AnsibleModule.message(for: item.error, inline: false) == item.ansible)
    }

    /// A change that restarts a network, refused without leave: the command line asks for
    /// `--allow-restart`, Ansible for its `allow_restart` argument, whether or not a file placed it.
    @Test func applyAsksForAllowRestartAsEachFrontEndNamesIt() throws {
        let action = TopologyAction(kind: .network, name: "lab", outcome: .restartNeeded, changes: ["bridge vn-a → vn-b"])
        let plan = TopologyPlan(actions: [action], networkSteps: [], vmSteps: [])
        let connection = try Connection(uri: "test:///default")
        let error = try #require(#expect(throws: VNetError.self) {
            try TopologyApplier.apply(plan, inventory: Inventory(networks: []), on: connection, templates: .builtIn)
        })
        let refusal = "\(action.line); nothing was changed (such changes restart a network or recreate a VM: "
        #expect(error.remedy?.option == .allowRestart)
        #expect(error.message == refusal + "allow restart)")
        #expect(error.commandLineMessage == refusal + "add --allow-restart)")
        #expect(AnsibleModule.message(for: error, inline: true) == refusal + "set allow_restart: true)")
        let placed = TopologyPlanner.placed(error, entry: "networks[0]", line: 7, source: "lab.yaml")
        #expect(placed.message == "lab.yaml:7: " + refusal + "allow restart)")
        #expect(placed.commandLineMessage == "lab.yaml:7: " + refusal + "add --allow-restart)")
        #expect(AnsibleModule.message(for: placed, inline: false) == "lab.yaml:7: " + refusal + "set allow_restart: true)")
    }
}
