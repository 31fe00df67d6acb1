import Foundation
import HostNet
import Libvirt
import TestSupport
import Testing
@testable import VNetCommands
@testable import VNetCore

/// A message that names an operation for the user to run: the library words the action neutrally,
/// the command line as the vnetctl command, the Ansible module by its arguments where it has them.
@Suite(.onTestThreads) struct ActionWordingTests {
    struct Case: Sendable, CustomStringConvertible {
        var action: OperationAction
        var library: String
        var commandLine: String
        var ansible: String
        var description: String { library }
    }

    static let cases = [
        Case(action: OperationAction(.undefine, .vm, named: "web"), library: "undefine vm web",
             commandLine: "vnetctl undefine vm web", ansible: "state: absent for vm web"),
        Case(action: OperationAction(.undefine, .network, named: "lab"), library: "undefine network lab",
             commandLine: "vnetctl undefine network lab", ansible: "state: absent for network lab"),
        Case(action: OperationAction(.list, .network), library: "list networks",
             commandLine: "vnetctl list networks", ansible: "list networks"),
        Case(action: OperationAction(.list), library: "list", commandLine: "vnetctl list", ansible: "list"),
        Case(action: OperationAction(.start, .vm, named: "web"), library: "start vm web",
             commandLine: "vnetctl start vm web", ansible: "start vm web"),
        Case(action: OperationAction(.delete, .hostBridge, named: "br9"), library: "delete host bridge br9",
             commandLine: "vnetctl host-bridge delete br9", ansible: "delete host bridge br9"),
        Case(action: OperationAction(.apply), library: "apply", commandLine: "vnetctl apply", ansible: "the module"),
        Case(action: OperationAction(.list, .hostBridge), library: "list host bridges",
             commandLine: "vnetctl host-bridge list", ansible: "list host bridges"),
        Case(action: OperationAction(.run), library: "run", commandLine: "run vnetctl", ansible: "run the module"),
    ]

    @Test(arguments: cases)
    func eachFrontEndWordsTheActionItsOwnWay(_ item: Case) {
        #expect(item.action.description == item.library)
        #expect(SpecFieldNames(names: [:]).request(item.action) == item.library)
        #expect(SpecFieldNames.commandLine.request(item.action) == item.commandLine)
        #expect(SpecFieldNames.ansible.request(item.action) == item.ansible)
    }

    /// Every action the library names has its vnetctl command on the command line.
    @Test func theCommandLineWordsEveryActionTheLibraryNames() {
        let named: [OperationAction.Command] = [
            .init(.list), .init(.list, .network), .init(.list, .vm), .init(.undefine, .network), .init(.undefine, .vm),
            .init(.start, .vm), .init(.stop, .vm), .init(.create, .hostBridge), .init(.delete, .hostBridge), .init(.apply),
            .init(.list, .hostBridge), .init(.run),
        ]
        #expect(named.filter { SpecFieldNames.commandLine.actions[$0] == nil }.isEmpty)
    }

    /// A refusal that names an action and asks for an option: both worded by each front end, in one sentence.
    @Test func aRunningVMsRefusalWordsTheActionAndTheOption() {
        let error = VNetError.naming(
            .invalidInput, "vm 'web' is running; stop it first ('", OperationAction(.stop, .vm, named: "web"), then: "')"
        ).asking(", or ", for: .force, then: " to power it off and undefine it")
        #expect(error.message == "vm 'web' is running; stop it first ('stop vm web'), or force to power it off and undefine it")
        #expect(error.commandLineMessage
            == "vm 'web' is running; stop it first ('vnetctl stop vm web'), or add --force to power it off and undefine it")
        #expect(AnsibleModule.message(for: error, inline: true)
            == "vm 'web' is running; stop it first ('stop vm web'), or set force: true to power it off and undefine it")
    }

    /// The planner's refusal of an existing VM name: the command line's line is exactly as it was,
    /// Ansible's names the module's removal, and a topology file's place leads both.
    @Test func anExistingVMNameIsWordedByEachFrontEnd() throws {
        let error = VNetError.naming(
            .invalidInput, "VM 'web' already exists; choose another name or '", OperationAction(.undefine, .vm, named: "web"),
            then: "' first")
        #expect(error.message == "VM 'web' already exists; choose another name or 'undefine vm web' first")
        #expect(error.commandLineMessage == "VM 'web' already exists; choose another name or 'vnetctl undefine vm web' first")
        #expect(AnsibleModule.message(for: error, inline: false)
            == "VM 'web' already exists; choose another name or 'state: absent for vm web' first")
        let placed = TopologyPlanner.placed(error, entry: "vms[0]", line: 9, source: "lab.yaml")
        #expect(placed.message == "lab.yaml:9: VM 'web' already exists; choose another name or 'undefine vm web' first")
        #expect(placed.commandLineMessage == "lab.yaml:9: VM 'web' already exists; choose another name or 'vnetctl undefine vm web' first")
        #expect(AnsibleModule.message(for: placed, inline: true)
            == "lab.yaml:9: VM 'web' already exists; choose another name or 'state: absent for vm web' first")
    }

    /// libvirt's own "not found", sorted by `VNetError.from`, keeps its code and names the list.
    @Test func libvirtsNotFoundNamesTheList() throws {
        let connection = try Connection(uri: "test:///default")
        let error = #expect(throws: VNetError.self) { try LibvirtLookup.network(named: "nope", on: connection) }
        #expect(error?.code == .notFound)
        #expect(error?.message == "no network named 'nope'; 'list networks' shows what exists")
        #expect(error?.commandLineMessage == "no network named 'nope'; 'vnetctl list networks' shows what exists")
    }

    /// libvirt's "not found" inside a longer failure still names the list for each front end.
    @Test func aWrappedNotFoundKeepsItsAction() throws {
        let connection = try Connection(uri: "test:///default")
        let missing = #expect(throws: LibvirtError.self) { try connection.network(named: "nope") }
        let inner = VNetError.from(try #require(missing))
        let error = VNetError.wrapping(inner, .failure, "updating network 'nope' failed: ", "; nothing changed")
        #expect(error.kind == .failure && error.code == .host)
        #expect(error.message == "updating network 'nope' failed: \(inner.message); nothing changed")
        #expect(error.message.hasSuffix("; 'list' shows what exists; nothing changed"))
        #expect(error.commandLineMessage.hasSuffix("; 'vnetctl list' shows what exists; nothing changed"))
    }

    /// HostNet suggests looking at the host's bridges in its own neutral words; VNetCore names the
    /// listing as an action, and the command line's line is exactly as it was.
    @Test func aMissingBridgeNamesTheListingOfTheHostsBridges() throws {
        let connection = try Connection(uri: "test:///default")
        let host = HostFacts(links: [], linkSettings: HostLinkSettings(), bridgeFiles: HostBridgeFiles())
        let error = #expect(throws: VNetError.self) {
            try HostBridgeSetup.prepareDelete(name: "vntnone", host: host, connection: connection)
        }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message == "no network interface named vntnone; 'list host bridges' shows the bridges")
        #expect(error?.commandLineMessage == "no network interface named vntnone; 'vnetctl host-bridge list' shows the bridges")
        #expect(error.map { AnsibleModule.message(for: $0, inline: false) }
            == "no network interface named vntnone; 'list host bridges' shows the bridges")
        let neutral = #expect(throws: HostBridgeError.self) {
            try HostBridge.planDelete("vntnone", links: [], settings: HostLinkSettings())
        }
        #expect(neutral?.description == "no network interface named vntnone; see the host's bridges")
    }

    /// A bridge asked for over a remote connection: the front end is to be run on that host.
    @Test func aRemoteBridgeAsksToRunTheFrontEndOnThatHost() {
        let error = #expect(throws: VNetError.self) {
            try HostBridgeSetup.prepareCreate(name: "vntbr0", uplink: nil, host: HostFacts(remote: true))
        }
        #expect(error?.message == "bridge vntbr0 cannot be made over a remote connection; run on that host")
        #expect(error?.commandLineMessage == "bridge vntbr0 cannot be made over a remote connection; run vnetctl on that host")
        #expect(error.map { AnsibleModule.message(for: $0, inline: false) }
            == "bridge vntbr0 cannot be made over a remote connection; run the module on that host")
    }

    /// A record of a cut-off host-bridge change that cannot be read names the listing to check.
    @Test func anUnreadableBridgeRecordNamesTheListingToCheck() throws {
        let root = NSTemporaryDirectory() + "vnt-record-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = HostBridgeIntent.location(root: root)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "{".write(toFile: directory + "/vntbr0.json", atomically: true, encoding: .utf8)
        let error = #expect(throws: VNetError.self) { try HostBridgeFiles.read(root: root).record("vntbr0") }
        #expect(error?.kind == .failure)
        let remove = "; it is vnetctl's record of a cut-off host-bridge change; remove it and check '"
        #expect(error?.message.hasSuffix(remove + "list host bridges'") == true, "\(String(describing: error))")
        #expect(error?.commandLineMessage.hasSuffix(remove + "vnetctl host-bridge list'") == true, "\(String(describing: error))")
    }

    /// A cut-off define's VM that is gone when it is started: libvirt's "not found" keeps naming
    /// the list, worded by each front end, instead of its neutral words inside the start's message.
    @Test func aLeftoverVMThatVanishedNamesTheList() throws {
        let connection = try Connection(uri: "test:///default")
        let name = "vnt-gone-\(UUID().uuidString.prefix(8))"
        let domain = try connection.defineDomain(
            xml: "<domain type='test'><name>\(name)</name><memory>8192</memory><os><type>hvm</type></os></domain>")
        try domain.undefine()
        let definition = VMDefinition(name: name, template: "t", templatePath: "t", nics: [], overlay: nil, xml: "")
        let error = #expect(throws: VNetError.self) { try VMDefiner.startLeftover(domain, definition) }
        let before = "VM '\(name)', defined by an earlier run that was cut off, could not start: "
        #expect(error?.kind == .failure)
        #expect(error?.message.hasPrefix(before) == true && error?.message.hasSuffix("; 'list' shows what exists") == true,
                "\(String(describing: error))")
        #expect(error?.commandLineMessage.hasSuffix("; 'vnetctl list' shows what exists") == true, "\(String(describing: error))")
    }
}
