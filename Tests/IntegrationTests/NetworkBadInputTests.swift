import Foundation
import Testing
import TestSupport

/// What the bad-input cases share, made once for the suite and removed after it: a running test
/// network defined by vnetctl, a running isolated dual-stack one, a veth pair (down, so no route
/// and no traffic) with addresses in 10.123.0.0/16 and fd00:123::/32, and template files that fail
/// in each way a template can.
final class BadInputFixture: @unchecked Sendable {
    @TaskLocal static var current: BadInputFixture?

    let network: LabNetwork
    let existingName: String
    let existingBridge: String
    let existingSubnet: String
    /// An isolated network with IPv4 and IPv6, and its IPv6 subnet.
    let dualStack: LabNetwork
    let existingIPv6Subnet: String
    /// Third octet of a subnet nothing uses, for cases whose subnet must be fine.
    let free: Int
    /// The veth end in the root namespace that holds `10.123.vethOctet.1/24` and
    /// `fd00:123:vethOctet::1/64`, and its peer.
    let veth: String
    let vethPeer: String
    let vethOctet: Int
    /// A link name that does not exist.
    let missingLink: String
    let directory: URL
    let nonXMLTemplate: String
    let schemaInvalidTemplate: String
    let mustacheErrorTemplate: String
    private var createdVeth = false

    init() throws {
        let id = NetObjectNames.id()
        let veth = NetObjectNames.interface(id, "a")
        let vethPeer = NetObjectNames.interface(id, "p")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-badinput-\(id)")
        let free = try TestSubnets.freeThirdOctet()
        let vethOctet = try TestSubnets.freeThirdOctet()
        let network = try LabNetwork.make(model: .nat, start: true, backend: .vnetctl)
        let dualStack: LabNetwork
        do {
            dualStack = try LabNetwork.make(model: .isolated, ipv6: true, start: true, backend: .vnetctl)
        } catch {
            network.remove()
            throw error
        }
        var createdVeth = false
        do {
            existingBridge = try #require(network.bridge)
            existingSubnet = try #require(network.subnet)
            existingIPv6Subnet = try #require(dualStack.ipv6Subnet)
            try Command.output(["ip", "link", "add", veth, "type", "veth", "peer", "name", vethPeer])
            createdVeth = true
            // The link stays down: the address is on the host, but no route and no packet follows from it.
            try Command.output(["ip", "addr", "add", "10.123.\(vethOctet).1/24", "dev", veth])
            try Command.output(["ip", "-6", "addr", "add", "fd00:123:\(vethOctet)::1/64", "dev", veth, "nodad"])
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            network.remove()
            dualStack.remove()
            if createdVeth { _ = try? Command.run(["ip", "link", "del", veth]) }
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        self.network = network
        self.dualStack = dualStack
        self.existingName = network.name
        self.free = free
        self.veth = veth
        self.vethPeer = vethPeer
        self.vethOctet = vethOctet
        self.missingLink = NetObjectNames.interface(id, "m")
        self.directory = directory
        self.createdVeth = createdVeth
        nonXMLTemplate = directory.appendingPathComponent("not-xml.xml.mustache").path
        schemaInvalidTemplate = directory.appendingPathComponent("schema-invalid.xml.mustache").path
        mustacheErrorTemplate = directory.appendingPathComponent("mustache-error.xml.mustache").path
        do {
            try "<network>\n  <name>{{name}}</name>\n".write(toFile: nonXMLTemplate, atomically: true, encoding: .utf8)
            try "<network>\n  <name>{{name}}</name>\n  <forward mode=\"banana\"/>\n</network>\n"
                .write(toFile: schemaInvalidTemplate, atomically: true, encoding: .utf8)
            try "<network>\n  <name>{{name}}</name>\n  {{/bridge}}\n</network>\n"
                .write(toFile: mustacheErrorTemplate, atomically: true, encoding: .utf8)
        } catch {
            remove()
            throw error
        }
    }

    var freeSubnet: String { "10.123.\(free).0/24" }
    /// A guest address in `freeSubnet`, for forwards.
    var freeGuest: String { "10.123.\(free).11" }

    func remove() {
        network.remove()
        dualStack.remove()
        if createdVeth {
            _ = try? Command.run(["ip", "link", "del", veth])
            createdVeth = false
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Makes the fixture before the suite's tests and removes it after them, also when they fail.
struct BadInputFixtureTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let fixture = try BadInputFixture()
        defer { fixture.remove() }
        try await BadInputFixture.$current.withValue(fixture) { try await function() }
    }
}

/// One bad `vnetctl define network` invocation.
struct BadInput: Sendable, CustomTestStringConvertible {
    var label: String
    /// The network name to use; nil for a fresh `vnt-bad-xxxxxx`.
    var name: (@Sendable (BadInputFixture) -> String)? = nil
    /// Everything after `vnetctl`, given the fixture and the name.
    var arguments: @Sendable (BadInputFixture, String) -> [String]
    /// Text the one line on stderr must contain: the field, the value, the fix.
    var expected: @Sendable (BadInputFixture, String) -> [String]

    var testDescription: String { label }

    /// `-c qemu:///system define network NAME ` and `options`.
    static func define(
        _ label: String, name: (@Sendable (BadInputFixture) -> String)? = nil,
        _ options: @escaping @Sendable (BadInputFixture) -> [String],
        expect: @escaping @Sendable (BadInputFixture, String) -> [String]
    ) -> BadInput {
        BadInput(
            label: label, name: name,
            arguments: { fixture, name in ["-c", Virsh.uri, "define", "network", name] + options(fixture) },
            expected: expect)
    }
}

extension NetworkDefineSuites {
    @Suite(.onTestThreads, BadInputFixtureTrait())
    struct NetworkBadInputTests {
        static let cases: [BadInput] = [
            // --model
            .define("unknown model", { f in ["--model", "banana", "--subnet", f.freeSubnet] },
                    expect: { _, _ in ["--model", "'banana'", "Please provide one of 'isolated'"] }),
            // --subnet syntax
            .define("CIDR prefix 33", { _ in ["--model", "isolated", "--subnet", "10.123.1.0/33"] },
                    expect: { _, _ in ["--subnet", "'10.123.1.0/33'", "prefix must be 0-32"] }),
            .define("CIDR without prefix", { _ in ["--model", "isolated", "--subnet", "10.123.1"] },
                    expect: { _, _ in ["--subnet", "'10.123.1'", "expected ADDRESS/PREFIX, like 10.123.4.0/24"] }),
            .define("CIDR banana", { _ in ["--model", "isolated", "--subnet", "banana"] },
                    expect: { _, _ in ["--subnet", "'banana'", "expected ADDRESS/PREFIX, like 10.123.4.0/24"] }),
            .define("CIDR not a network address", { _ in ["--model", "isolated", "--subnet", "10.123.1.5/24"] },
                    expect: { _, _ in ["--subnet", "10.123.1.5/24", "did you mean 10.123.1.0/24"] }),
            // --subnet collisions
            .define("subnet of an existing libvirt network", { f in ["--model", "nat", "--subnet", f.existingSubnet] },
                    expect: { f, _ in
                        ["--subnet \(f.existingSubnet) overlaps libvirt network '\(f.existingName)'", "choose another or use auto"]
                    }),
            .define("IPv6 subnet of an existing libvirt network",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--ipv6", f.existingIPv6Subnet] },
                    expect: { f, _ in
                        ["--ipv6 \(f.existingIPv6Subnet) overlaps libvirt network '\(f.dualStack.name)'", "choose another"]
                    }),
            .define("IPv6 subnet of a host address",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--ipv6", "fd00:123:\(f.vethOctet)::/64"] },
                    expect: { f, _ in
                        ["--ipv6 fd00:123:\(f.vethOctet)::/64 overlaps address fd00:123:\(f.vethOctet)::1/64 of \(f.veth)"]
                    }),
            .define("IPv6 link-local subnet", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--ipv6", "fe80::/64"] },
                    expect: { _, _ in ["--ipv6 fe80::/64 is link-local", "fd00:123::/64"] }),
            .define("subnet of a host address", { f in ["--model", "isolated", "--subnet", "10.123.\(f.vethOctet).0/24"] },
                    expect: { f, _ in
                        ["--subnet 10.123.\(f.vethOctet).0/24 overlaps address 10.123.\(f.vethOctet).1/24 of \(f.veth)", "use auto"]
                    }),
            // --dhcp-range
            .define("DHCP range outside the subnet",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--dhcp-range", "10.123.\(f.free + 1).2-10.123.\(f.free + 1).9"] },
                    expect: { f, _ in
                        ["--dhcp-range 10.123.\(f.free + 1).2-10.123.\(f.free + 1).9 is outside subnet \(f.freeSubnet)", "use addresses from"]
                    }),
            .define("DHCP range reversed",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--dhcp-range", "10.123.\(f.free).9-10.123.\(f.free).2"] },
                    expect: { f, _ in ["--dhcp-range", "'10.123.\(f.free).9-10.123.\(f.free).2'", "write 10.123.\(f.free).2-10.123.\(f.free).9"] }),
            .define("DHCP range holding the gateway",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--dhcp-range", "10.123.\(f.free).1-10.123.\(f.free).50"] },
                    expect: { f, _ in
                        ["--dhcp-range 10.123.\(f.free).1-10.123.\(f.free).50 includes the gateway 10.123.\(f.free).1",
                         "such as 10.123.\(f.free).2-10.123.\(f.free).50"]
                    }),
            .define("DHCP range with --no-dhcp",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--no-dhcp", "--dhcp-range", "10.123.\(f.free).2-10.123.\(f.free).9"] },
                    expect: { _, _ in ["--dhcp-range and --no-dhcp contradict each other", "give one"] }),
            // --host
            .define("reservation with a bad MAC",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--host", "zz:54:00:00:00:01,10.123.\(f.free).10"] },
                    expect: { _, _ in ["--host", "'zz:54:00:00:00:01'", "like 52:54:00:ab:cd:ef"] }),
            .define("reservation MAC twice",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet,
                            "--host", "52:54:00:00:00:01,10.123.\(f.free).10", "--host", "52:54:00:00:00:01,10.123.\(f.free).11"] },
                    expect: { f, _ in
                        ["--host 52:54:00:00:00:01,10.123.\(f.free).11: MAC 52:54:00:00:00:01 is already reserved",
                         "give each MAC one reservation"]
                    }),
            .define("reservation IP outside the subnet",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--host", "52:54:00:00:00:01,10.123.\(f.free + 1).10"] },
                    expect: { f, _ in
                        ["--host 52:54:00:00:00:01,10.123.\(f.free + 1).10: IP 10.123.\(f.free + 1).10 is outside subnet \(f.freeSubnet)",
                         "use another address"]
                    }),
            .define("reservation IP twice",
                    { f in ["--model", "isolated", "--subnet", f.freeSubnet,
                            "--host", "52:54:00:00:00:01,10.123.\(f.free).10", "--host", "52:54:00:00:00:02,10.123.\(f.free).10"] },
                    expect: { f, _ in
                        ["--host 52:54:00:00:00:02,10.123.\(f.free).10: IP 10.123.\(f.free).10 is already reserved",
                         "give each guest its own address"]
                    }),
            // the name
            .define("name with markup characters", name: { _ in "a'/><x" }, { f in ["--model", "isolated", "--subnet", f.freeSubnet] },
                    expect: { _, _ in ["network name 'a'/><x'", "use letters, digits"] }),
            .define("name with a slash", name: { _ in "a/b" }, { f in ["--model", "isolated", "--subnet", f.freeSubnet] },
                    expect: { _, _ in ["network name 'a/b'", "use letters, digits"] }),
            BadInput(
                label: "name starting with '-' after --", name: { _ in "-x" },
                arguments: { f, name in ["define", "network", "--model", "isolated", "--subnet", f.freeSubnet, "-c", Virsh.uri, "--", name] },
                expected: { _, _ in ["network name '-x'", "must not start with '-'"] }),
            .define("name starting with '-' read as an option", name: { _ in "-x" }, { f in ["--model", "isolated", "--subnet", f.freeSubnet] },
                    // ArgumentParser reads -x as an (unknown) option and misses the name; the line names
                    // the field but not the value (reported as a message gap).
                    expect: { _, _ in ["Missing expected argument '<name>'", "see 'vnetctl help'"] }),
            .define("name already defined", name: { f in f.existingName }, { f in ["--model", "isolated", "--subnet", f.freeSubnet] },
                    expect: { f, _ in ["network '\(f.existingName)' already exists", "vnetctl undefine network \(f.existingName)"] }),
            // --bridge
            .define("bridge name of 16 characters", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--bridge", "abcdefghijklmnop"] },
                    expect: { _, _ in ["--bridge", "'abcdefghijklmnop'", "at most 15"] }),
            .define("bridge of the existing test network", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--bridge", f.existingBridge] },
                    expect: { f, _ in
                        ["--bridge \(f.existingBridge) is already the bridge of libvirt network '\(f.existingName)'", "leave the bridge out"]
                    }),
            .define("bridge named lo", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--bridge", "lo"] },
                    expect: { _, _ in ["--bridge lo already exists on this host", "choose a free name or leave the bridge out"] }),
            .define("bridge that is the test veth", { f in ["--model", "routed", "--subnet", f.freeSubnet, "--bridge", f.veth] },
                    expect: { f, _ in ["--bridge \(f.veth) already exists on this host", "leave the bridge out"] }),
            // bridged
            .define("bridged without bridge or uplink", { _ in ["--model", "bridged"] },
                    expect: { _, _ in ["--bridge is missing: the bridged model needs a bridge", "or an uplink (macvtap)"] }),
            .define("bridged on a missing bridge", { f in ["--model", "bridged", "--bridge", f.missingLink] },
                    expect: { f, _ in ["--bridge \(f.missingLink) does not exist on this host", "create it first"] }),
            .define("bridged on lo", { _ in ["--model", "bridged", "--bridge", "lo"] },
                    expect: { _, _ in ["--bridge lo is the loopback interface, not a bridge", "give a host bridge"] }),
            .define("bridged on a veth", { f in ["--model", "bridged", "--bridge", f.veth] },
                    expect: { f, _ in ["--bridge \(f.veth) is not a bridge but a veth interface", "give \(f.veth) as the uplink for macvtap"] }),
            .define("bridged on a missing uplink", { f in ["--model", "bridged", "--uplink", f.missingLink] },
                    expect: { f, _ in ["--uplink \(f.missingLink) does not exist on this host", "'ip link' lists the interfaces"] }),
            .define("bridged with a subnet", { f in ["--model", "bridged", "--bridge", f.existingBridge, "--subnet", f.freeSubnet] },
                    expect: { _, _ in ["--subnet does not apply to the bridged model", "drop it"] }),
            // --uplink
            .define("routed on a missing uplink", { f in ["--model", "routed", "--subnet", f.freeSubnet, "--uplink", f.missingLink] },
                    expect: { f, _ in ["--uplink \(f.missingLink) does not exist on this host", "'ip link' lists the interfaces"] }),
            .define("nat on a missing uplink", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--uplink", f.missingLink] },
                    expect: { f, _ in ["--uplink \(f.missingLink) does not exist on this host", "'ip link' lists the interfaces"] }),
            .define("nat on the loopback", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--uplink", "lo"] },
                    expect: { _, _ in ["--uplink lo is the loopback interface", "give a real uplink"] }),
            .define("isolated with an uplink", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--uplink", f.veth] },
                    expect: { f, _ in ["--uplink \(f.veth) does not apply to the isolated model", "only routed and nat"] }),
            // --mtu
            .define("MTU 0", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--mtu", "0"] },
                    expect: { _, _ in ["--mtu 0 is out of range 68-65535", "give a value in it"] }),
            .define("MTU 70000", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--mtu", "70000"] },
                    expect: { _, _ in ["--mtu 70000 is out of range 68-65535", "give a value in it"] }),
            .define("MTU not a number", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--mtu", "abc"] },
                    expect: { _, _ in ["--mtu", "'abc'"] }),
            .define("MTU below IPv6's minimum", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--ipv6", "fd00:123::/64", "--mtu", "1000"] },
                    expect: { _, _ in ["--mtu 1000 is below IPv6's minimum of 1280", "drop the ipv6 subnet"] }),
            // other options
            .define("--no-host-ip on nat", { _ in ["--model", "nat", "--no-host-ip"] },
                    expect: { _, _ in ["--no-host-ip applies only to the isolated model", "drop it"] }),
            .define("--no-host-ip with --subnet", { f in ["--model", "isolated", "--no-host-ip", "--subnet", f.freeSubnet] },
                    expect: { _, _ in ["--subnet needs a host address on the network", "drop one of the two"] }),
            .define("invalid --domain", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--domain", "a_b.example"] },
                    expect: { _, _ in ["--domain 'a_b.example' is not a DNS domain name", "like lab.example"] }),
            .define("--set without a key", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--set", "=x"] },
                    expect: { _, _ in ["--set", "'=x'", "expected KEY=VALUE"] }),
            .define("--set below a single value", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--set", "name.extra=x"] },
                    expect: { _, _ in ["--set name.extra", "'name' is a single value", "set 'name' itself"] }),
            // --forward
            .define("forward with three fields", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:8080:web1"] },
                    expect: { _, _ in ["--forward", "forward 'tcp:8080:web1': expected 4 fields"] }),
            .define("forward of an unknown protocol", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "sctp:8080:\(f.freeGuest):80"] },
                    expect: { _, _ in ["unknown protocol 'sctp'; only tcp and udp are forwarded"] }),
            .define("forward of port 0", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:0:\(f.freeGuest):80"] },
                    expect: { _, _ in ["port '0' is not a number from 1 to 65535"] }),
            .define("forward of port 70000", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "udp:8080:\(f.freeGuest):70000"] },
                    expect: { _, _ in ["port '70000' is not a number from 1 to 65535"] }),
            .define("forward range backwards", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:8090-8080:\(f.freeGuest):80-90"] },
                    expect: { _, _ in ["port range '8090-8080' runs backwards"] }),
            .define("forward ranges of different sizes", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:8080-8089:\(f.freeGuest):80"] },
                    expect: { _, _ in ["host ports 8080-8089 are 10 port(s) but guest ports 80 are 1"] }),
            .define("forward to a bad address", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:8080:10.123.\(f.free).300:80"] },
                    expect: { _, _ in ["forward 'tcp:8080:10.123.", "the guest"] }),
            .define("forward to a guest outside the subnet", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:8080:10.99.0.5:80"] },
                    expect: { f, _ in ["guest 10.99.0.5 is outside network", "(\(f.freeSubnet))"] }),
            .define("forward to the host's own address", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:8080:10.123.\(f.free).1:80"] },
                    expect: { _, _ in ["is the host's own address on"] }),
            .define("forward to a VM without a reservation", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:8080:web9:80"] },
                    expect: { _, _ in ["VM 'web9' has no DHCP reservation on network", "or give the guest's address"] }),
            .define("forward of the same host port twice", { f in
                ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "tcp:8080:\(f.freeGuest):80", "--forward", "tcp:8080:\(f.freeGuest):81"]
            }, expect: { f, _ in ["host port tcp 8080 is already forwarded by 'tcp:8080:\(f.freeGuest):80' on the same network"] }),
            .define("forward on a host address that is not the host's", { f in ["--model", "nat", "--subnet", f.freeSubnet, "--forward", "198.51.100.7:tcp:8080:\(f.freeGuest):80"] },
                    expect: { _, _ in ["198.51.100.7 is not an address of this host"] }),
            .define("forward on an isolated network", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--forward", "tcp:8080:\(f.freeGuest):80"] },
                    expect: { _, _ in ["is isolated; port forwards apply to nat networks only"] }),
            .define("forward on a routed network", { f in ["--model", "routed", "--subnet", f.freeSubnet, "--forward", "tcp:8080:\(f.freeGuest):80"] },
                    expect: { _, _ in ["is routed; port forwards apply to nat networks only"] }),
            .define("forward on an open network", { f in ["--model", "open", "--subnet", f.freeSubnet, "--forward", "tcp:8080:\(f.freeGuest):80"] },
                    expect: { _, _ in ["is open; port forwards apply to nat networks only"] }),
            .define("forward on a bridged network", { f in ["--model", "bridged", "--bridge", f.missingLink, "--forward", "tcp:8080:\(f.freeGuest):80"] },
                    expect: { _, _ in ["is bridged; port forwards apply to nat networks only"] }),
            // --template
            .define("template file missing", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--template", f.directory.appendingPathComponent("missing.xml.mustache").path] },
                    expect: { f, _ in
                        ["template \(f.directory.appendingPathComponent("missing.xml.mustache").path) does not exist",
                         "give the path of a readable template file"]
                    }),
            .define("template that is not XML after rendering", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--template", f.nonXMLTemplate] },
                    expect: { f, _ in ["template \(f.nonXMLTemplate) does not render to XML", "fix the template"] }),
            // libvirt checks the schema as it defines; a dry run checks against this machine's network.rng.
            .define("template invalid against the schema", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--template", f.schemaInvalidTemplate] },
                    expect: { f, _ in
                        ["template \(f.schemaInvalidTemplate) renders XML that libvirt refuses (", "Extra element forward", "check the template"]
                    }),
            .define("template invalid against the schema, dry run", { f in
                        ["--model", "isolated", "--subnet", f.freeSubnet, "--template", f.schemaInvalidTemplate, "--dry-run"]
                    },
                    expect: { f, _ in ["template \(f.schemaInvalidTemplate) renders XML that libvirt's network.rng refuses", "check the template"] }),
            .define("template with a Mustache syntax error", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--template", f.mustacheErrorTemplate] },
                    expect: { f, _ in ["template \(f.mustacheErrorTemplate):3:", "fix the template's Mustache syntax"] }),
            .define("unknown shipped template", { f in ["--model", "isolated", "--subnet", f.freeSubnet, "--template", "nosuch"] },
                    expect: { _, _ in ["no network template named 'nosuch'", "give the path of your own"] }),
        ]

        func fixture() throws -> BadInputFixture {
            try #require(BadInputFixture.current, "the suite's fixture trait did not run")
        }

        /// The names a failed define could have created or touched.
        func involved(_ fixture: BadInputFixture, name: String, arguments: [String]) -> [String] {
            let linkValues = zip(arguments, arguments.dropFirst()).filter { ["--bridge", "--uplink"].contains($0.0) }.map(\.1)
            return [name, "vn-" + name.prefix(12), fixture.existingName, fixture.existingBridge, fixture.veth, fixture.vethPeer,
                    fixture.missingLink] + linkValues
        }

        @Test(arguments: cases)
        func badInputExitsTwoWithOneLineAndChangesNothing(_ input: BadInput) throws {
            let fixture = try fixture()
            let name = input.name?(fixture) ?? TestNames.unique("bad")
            // Should the command wrongly succeed, remove what it made (only names this test chose).
            defer {
                if name.hasPrefix(TestNames.prefix), name != fixture.existingName { Virsh.destroyAndUndefine(name) }
            }
            let arguments = input.arguments(fixture, name)
            let outcome = try UnchangedState.run(involving: involved(fixture, name: name, arguments: arguments)) {
                try VNetCtlBinary.run(arguments)
            }
            let result = outcome.result
            #expect(result.status == 2, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.stderr.hasPrefix("vnetctl: "), "\(result)")
            #expect(result.stderr.hasSuffix("\n"), "\(result)")
            #expect(result.stderr.dropLast().split(separator: "\n", omittingEmptySubsequences: false).count == 1,
                    "stderr must be one line: \(result)")
            for text in input.expected(fixture, name) {
                #expect(result.stderr.contains(text), "stderr lacks \(text): \(result.stderr)")
            }
            #expect(outcome.involvedDifferences.isEmpty, "the bad define changed libvirt or the host: \(outcome.involvedDifferences)")
            #expect(outcome.unexplainedDifferences.isEmpty, "changed outside any test's objects: \(outcome.unexplainedDifferences)")
            if !outcome.differences.isEmpty {
                Issue.record("other tests changed libvirt on every attempt; only this command's objects were compared: \(outcome.differences)", severity: .warning)
            }
        }

        private struct ErrorBody: Decodable {
            struct Detail: Decodable {
                var kind: String
                var message: String
                var exitCode: Int
            }
            var error: Detail
        }

        @Test(arguments: [false, true])
        func jsonErrorIsPrintedOnStdout(parseError: Bool) throws {
            let fixture = try fixture()
            let name = TestNames.unique("bad")
            defer { Virsh.destroyAndUndefine(name) }
            let options = parseError
                ? ["--model", "banana", "--subnet", fixture.freeSubnet]
                : ["--model", "nat", "--subnet", fixture.existingSubnet]
            let arguments = ["-c", Virsh.uri, "--json", "define", "network", name] + options
            let outcome = try UnchangedState.run(involving: involved(fixture, name: name, arguments: arguments)) {
                try VNetCtlBinary.run(arguments)
            }
            let result = outcome.result
            #expect(result.status == 2, "\(result)")
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(result.stdout.utf8))
            #expect(body.error.kind == "invalid-input")
            #expect(body.error.exitCode == 2)
            #expect(!body.error.message.contains("\n"))
            #expect(result.stderr.isEmpty, "with --json, stderr stays quiet: \(result)")
            if parseError {
                #expect(body.error.message.contains("'banana'"))
            } else {
                #expect(body.error.message.contains("libvirt network '\(fixture.existingName)'"), "\(body.error.message)")
            }
            #expect(outcome.involvedDifferences.isEmpty, "\(outcome.involvedDifferences)")
            #expect(outcome.unexplainedDifferences.isEmpty, "changed outside any test's objects: \(outcome.unexplainedDifferences)")
            if !outcome.differences.isEmpty {
                Issue.record("other tests changed libvirt on every attempt; only this command's objects were compared: \(outcome.differences)", severity: .warning)
            }
        }

        /// `-c URI` before the command and a name after `--`: the hoisted global options must land
        /// before the `--`, or they would read as extra positional arguments.
        @Test func globalOptionsBeforeTheCommandAndANameAfterDoubleDash() throws {
            let fixture = try fixture()
            let arguments = ["-c", Virsh.uri, "define", "network", "--model", "isolated", "--subnet", fixture.freeSubnet, "--", "-x"]
            let outcome = try UnchangedState.run(involving: involved(fixture, name: "-x", arguments: arguments)) {
                try VNetCtlBinary.run(arguments)
            }
            #expect(outcome.result.status == 2, "\(outcome.result)")
            #expect(outcome.involvedDifferences.isEmpty, "\(outcome.involvedDifferences)")
            #expect(outcome.unexplainedDifferences.isEmpty, "\(outcome.unexplainedDifferences)")
            #expect(outcome.result.stderr.contains("network name '-x'"), "\(outcome.result)")
        }

        /// The snapshot must see a change, or the tests above could not fail.
        @Test func theSnapshotSeesADefineAndALink() throws {
            // A subnet of its own: the bad inputs, which run beside it, count on the fixture's staying free.
            let subnet = "10.123.\(try TestSubnets.freeThirdOctet()).0/24"
            let name = TestNames.unique("snap")
            defer { Virsh.destroyAndUndefine(name) }
            let before = try LibvirtState.capture()
            let result = try VNetCtlBinary.run(
                ["-c", Virsh.uri, "define", "network", name, "--model", "isolated", "--subnet", subnet, "--no-dhcp"])
            #expect(result.status == 0, "\(result)")
            let defined = try LibvirtState.capture()
            #expect(before.differences(to: defined).contains { $0.object == "network \(name)" && $0.change == "added" })
            try Virsh.output(["net-start", name])
            let started = try LibvirtState.capture()
            let changes = defined.differences(to: started)
            #expect(changes.contains { $0.object == "network \(name)" && $0.change.contains("active false → true") }, "\(changes)")
            #expect(changes.contains { $0.object.hasPrefix("link vn-") && $0.change == "added" }, "\(changes)")
        }
    }
}
