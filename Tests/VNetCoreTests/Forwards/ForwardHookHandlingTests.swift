import Foundation
import Testing
import VNetCore

/// `vnetctl forwards hook` without a daemon: which operations touch the firewall, and that every
/// problem comes back as a message to log (the caller exits 0) instead of a failure.
struct ForwardHookHandlingTests {
    /// An iptables that cannot run: any call to it becomes a reported problem.
    static var absentIPTables: IPTables {
        var iptables = IPTables()
        iptables.path = "/nonexistent/iptables"
        return iptables
    }

    static func hookData(forwards: String) -> Data {
        Data("""
            <hookData>
              <network>
                <name>lab</name>
                <metadata><vnetctl:network xmlns:vnetctl="https://vnetctl.dev/xmlns/vnetctl/1" model="nat">\(forwards)</vnetctl:network></metadata>
                <forward mode="nat"/>
                <bridge name="vn-lab"/>
                <ip address="10.123.4.1" prefix="24"/>
              </network>
            </hookData>
            """.utf8)
    }

    static let forward = #"<vnetctl:forward protocol="tcp" host-ports="8080" guest="10.123.4.11" guest-ports="80" vm="web1"/>"#

    @Test(arguments: ["start", "port-created", "port-deleted", "updated", "reconnect"])
    func operationsOtherThanStartedAndStoppedTouchNothing(operation: String) {
        let problem = ForwardHook.handle(
            arguments: ["lab", operation, "begin", "-"], input: Self.hookData(forwards: Self.forward), iptables: Self.absentIPTables)
        #expect(problem == nil)
    }

    @Test func aNetworkWithoutForwardsTouchesNothingWhenStarted() {
        let problem = ForwardHook.handle(
            arguments: ["lab", "started", "begin", "-"], input: Self.hookData(forwards: ""), iptables: Self.absentIPTables)
        #expect(problem == nil)
    }

    @Test func aNetworkWithForwardsRunsIPTablesWhenStarted() {
        let problem = ForwardHook.handle(
            arguments: ["lab", "started", "begin", "-"], input: Self.hookData(forwards: Self.forward), iptables: Self.absentIPTables)
        #expect(problem?.contains("cannot run /nonexistent/iptables") == true, "\(String(describing: problem))")
    }

    @Test(arguments: [
        (["lab", "started", "begin", "-"], "<hookData><network>", "network lab started"),
        (["lab", "started", "begin", "-"], String(decoding: hookData(forwards: #"<vnetctl:forward protocol="sctp" host-ports="8080" guest="10.123.4.11" guest-ports="80"/>"#), as: UTF8.self),
         "unknown protocol"),
        (["lab"], "", "expected NETWORK OPERATION"),
    ])
    func problemsAreReportedNotThrown(arguments: [String], input: String, reason: String) {
        let problem = ForwardHook.handle(arguments: arguments, input: Data(input.utf8), iptables: Self.absentIPTables)
        #expect(problem?.contains(reason) == true, "\(String(describing: problem))")
    }

    @Test func theScriptExitsZeroAndNamesTheBinary() {
        let script = ForwardHook.script(binary: "/usr/bin/vnetctl")
        #expect(script.hasPrefix("#!/bin/sh\n"))
        #expect(script.contains("vnetctl='/usr/bin/vnetctl'"))
        #expect(script.contains("\"$vnetctl\" forwards hook \"$@\" || true\nexit 0\n"))
        #expect(ForwardHook.installPath == "/etc/libvirt/hooks/network.d/vnetctl")
    }
}
