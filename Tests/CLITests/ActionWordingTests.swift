import Libvirt
import Testing
@testable import VNetCommands
@testable import VNetCore

/// A message that names an operation for the user to run: the library words the action neutrally,
/// the command line as the vnetctl command, the Ansible module by its arguments where it has them.
@Suite struct ActionWordingTests {
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
}
