import HostNet
import Libvirt
import Testing
import VNetCore

/// Port forwards: the text form, and every refusal of `NetworkPlanner` against a hand-made host,
/// each one line naming the forward. No daemon, no host state.
struct PortForwardTests {
    static let eth0 = HostLink(index: 2, name: "eth0", kind: .ethernet, mac: "52:54:00:aa:bb:01", mtu: 1500, isUp: true)
    static let hostAddress = HostAddress(linkIndex: 2, linkName: "eth0", family: .ipv4, address: "192.0.2.10", prefixLength: 24)
    static let other = NetworkEnvironment.ExistingNetwork(
        name: "other", bridge: "vn-other", subnets: [try! IPv4CIDR("10.123.9.0/24")],
        forwards: [try! PortForward("tcp:2222:10.123.9.5:22"), try! PortForward("192.0.2.10:udp:5353:10.123.9.5:53")])
    static let environment = NetworkEnvironment(networks: [other], links: [eth0], addresses: [hostAddress], routes: [])

    static func spec(_ forwards: [String], model: NetworkModel = .nat) throws -> NetworkSpec {
        var spec = NetworkSpec(
            name: "lab", model: model, subnet: .explicit(try IPv4CIDR("10.123.4.0/24")),
            reservations: [try DHCPReservation("52:54:00:00:00:11,10.123.4.11,web1")])
        if model == .bridged {
            spec.subnet = nil
            spec.reservations = []
            spec.bridge = "eth0"
        }
        spec.forwards = try forwards.map(PortForward.init)
        return spec
    }

    @Test(arguments: [
        ("tcp:8080:web1:80", "tcp:8080:web1:80", "10.123.4.11"),
        ("udp:5000-5009:10.123.4.12:6000-6009", "udp:5000-5009:10.123.4.12:6000-6009", "10.123.4.12"),
        ("192.0.2.10:TCP:443:web1:8443", "192.0.2.10:tcp:443:web1:8443", "10.123.4.11"),
    ])
    func goodForwardsResolve(text: String, canonical: String, guest: String) throws {
        let plan = try NetworkPlanner.plan(try Self.spec([text]), in: Self.environment)
        #expect(plan.forwards.map(\.description) == [canonical])
        #expect(plan.forwards.first?.guest?.description == guest)
    }

    /// Text that is not a forward at all: refused while parsing, naming the forward.
    @Test(arguments: [
        ("tcp:8080:web1", "expected 4 fields"),
        ("tcp:8080:web1:80:90:100", "expected 4 fields"),
        ("sctp:8080:web1:80", "unknown protocol 'sctp'"),
        ("tcp:0:web1:80", "port '0' is not a number from 1 to 65535"),
        ("tcp:65536:web1:80", "port '65536' is not a number from 1 to 65535"),
        ("tcp:http:web1:80", "port 'http' is not a number"),
        ("tcp:8090-8080:web1:80-90", "runs backwards"),
        ("tcp:8080-8081:web1:80", "a range maps to a range of the same size"),
        ("tcp:8080:web1:80-81", "a range maps to a range of the same size"),
        ("tcp:8080:10.123.4.300:80", "the guest"),
        ("tcp:8080:-web:80", "VM name or an IPv4 address"),
        ("10.1.2:tcp:8080:web1:80", "the host address"),
        ("tcp::web1:80", "port '' is not a number"),
    ])
    func malformedForwardsAreRefused(text: String, reason: String) {
        let error = #expect(throws: VNetError.self) { try PortForward(text) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.hasPrefix("forward '\(text)': ") == true, "\(String(describing: error))")
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.message.contains("\n") == false)
    }

    /// Forwards that read well but do not fit the network or the host.
    @Test(arguments: [
        (["tcp:8080:10.123.5.11:80"], NetworkModel.nat, "guest 10.123.5.11 is outside network 'lab' (10.123.4.0/24)"),
        (["tcp:8080:10.123.4.0:80"], .nat, "is outside network 'lab'"),
        (["tcp:8080:10.123.4.255:80"], .nat, "is outside network 'lab'"),
        (["tcp:8080:10.123.4.1:80"], .nat, "is the host's own address on 'lab'"),
        (["tcp:8080:web2:80"], .nat, "VM 'web2' has no DHCP reservation on network 'lab'"),
        (["tcp:8080:web1:80", "tcp:8080:10.123.4.12:81"], .nat, "already forwarded by 'tcp:8080:web1:80' on the same network"),
        (["tcp:8080-8090:web1:80-90", "tcp:8085:web1:22"], .nat, "already forwarded by"),
        (["192.0.2.10:tcp:8080:web1:80", "tcp:8080:web1:81"], .nat, "already forwarded by"),
        (["tcp:2222:web1:22"], .nat, "already forwarded by network 'other' ('tcp:2222:10.123.9.5:22')"),
        (["udp:5353:web1:53"], .nat, "already forwarded by network 'other'"),
        (["198.51.100.7:tcp:8080:web1:80"], .nat, "198.51.100.7 is not an address of this host"),
        (["tcp:8080:10.123.4.11:80"], .isolated, "network 'lab' is isolated; port forwards apply to nat networks only"),
        (["tcp:8080:10.123.4.11:80"], .routed, "network 'lab' is routed; port forwards apply to nat networks only"),
        (["tcp:8080:10.123.4.11:80"], .open, "network 'lab' is open; port forwards apply to nat networks only"),
        (["tcp:8080:10.123.4.11:80"], .bridged, "network 'lab' is bridged; port forwards apply to nat networks only"),
    ])
    func forwardsThatDoNotFitAreRefused(forwards: [String], model: NetworkModel, reason: String) throws {
        let spec = try Self.spec(forwards, model: model)
        let error = #expect(throws: VNetError.self) { try NetworkPlanner.plan(spec, in: Self.environment) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.hasPrefix("forward '") == true, "\(String(describing: error))")
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.message.contains("\n") == false)
    }

    /// A forward on a different host address, or of the other protocol, does not clash.
    @Test(arguments: ["udp:2222:web1:22", "192.0.2.10:tcp:5353:web1:53"])
    func forwardsThatDoNotOverlapAreAccepted(text: String) throws {
        let plan = try NetworkPlanner.plan(try Self.spec([text]), in: Self.environment)
        #expect(plan.forwards.count == 1)
    }

    /// `define network` with forwards, as a library user runs it: on a connection that makes no
    /// real networks (`test:///`), the network is defined and started, no hook is installed, and
    /// no note says otherwise; the decision comes from the inventory the define read.
    @Test func definingWithForwardsWhereNoFirewallIsDrivenInstallsNoHook() throws {
        let connection = try Connection(uri: "test:///default")
        let spec = NetworkSpec(
            name: "vnt-fwd-hook", model: .nat, subnet: .explicit(try IPv4CIDR("10.123.211.0/24")),
            forwards: [try PortForward("tcp:8080:10.123.211.20:80")])
        let result = try NetworkDefiner.run(spec, on: connection, autostart: false, start: true, dryRun: false)
        #expect(result.definition.plan.forwards.count == 1)
        #expect(result.hookNote == nil)
        #expect(try connection.network(named: "vnt-fwd-hook").isActive)
    }
}
