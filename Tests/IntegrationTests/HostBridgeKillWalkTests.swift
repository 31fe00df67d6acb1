import Foundation
import Testing
import TestSupport

/// Crash safety of the changes to the kernel: `host-bridge create`, `host-bridge delete` and
/// `define network --create-bridge` killed (SIGKILL, `VNETCTL_FAULT_AFTER_STEP`) after each step in
/// turn. After every kill the same command run again ends where an uninterrupted run ends (links,
/// addresses, routes, persistent files, as `ip` and the file system show them), `delete` undoes
/// what a cut-off create began, and `vnetctl leftovers` names the half-made bridge until then.
///
/// One `HostBridgeLab` serves a whole walk: each step ends with the namespace back as it began.
@Suite(.onTestThreads, .serialized)
struct HostBridgeKillWalkTests {
    static func run(_ lab: HostBridgeLab, _ arguments: [String], faultAfter step: Int? = nil) throws -> CommandResult {
        var environment = ["VNETCTL_PERSIST_ROOT": lab.persistRoot]
        if let step { environment["VNETCTL_FAULT_AFTER_STEP"] = "\(step)" }
        return try Command.run(["ip", "netns", "exec", lab.namespace, VNetCtlBinary.path] + arguments, environment: environment)
    }

    /// The lab's links, addresses and routes without interface indexes (a bridge made again gets a
    /// new one), and every file under its persistence root with its contents.
    static func state(_ lab: HostBridgeLab) throws -> String {
        try settle(["-n", lab.namespace], [])
        let links = try snapshot(["-n", lab.namespace], [["link"], ["addr"], ["-4", "route", "show", "table", "all"],
                                                         ["-6", "route", "show", "table", "all"]])
        let files = try lab.persistedFiles().sorted().map { path in
            "--- \(path)\n" + ((try? String(contentsOfFile: lab.persistRoot + "/" + path, encoding: .utf8)) ?? "?")
        }
        return ([links] + files).joined(separator: "\n")
    }

    /// Waits (boundedly) until no IPv6 address on `links` (every link when empty) is tentative:
    /// the local routes of a bridge's link-local address come once DAD is done.
    static func settle(_ namespace: [String], _ links: [String]) throws {
        let scopes = links.isEmpty ? [[]] : links.map { ["dev", $0] }
        for scope in scopes {
            for _ in 0..<50 {
                let result = try Command.run(["ip"] + namespace + ["-6", "addr", "show"] + scope + ["tentative"])
                guard result.status == 0, result.stdout.contains("inet6") else { break }
                usleep(100_000)
            }
        }
    }

    /// `ip -j` of each query, normalized as `HostBridgeLab.snapshot()` does, without interface indexes.
    static func snapshot(_ namespace: [String], _ queries: [[String]]) throws -> String {
        func stripped(_ value: Any) -> Any {
            if let object = value as? [String: Any] { return object.filter { $0.key != "ifindex" }.mapValues(stripped) }
            if let array = value as? [Any] { return array.map(stripped) }
            return value
        }
        return try queries.map { query in
            let json = try JSONSerialization.jsonObject(with: Data(try Command.output(["ip"] + namespace + ["-j"] + query).utf8))
            let data = try JSONSerialization.data(withJSONObject: stripped(json), options: [.fragmentsAllowed])
            return try HostBridgeLab.normalized(String(decoding: data, as: UTF8.self))
        }.joined(separator: "\n")
    }

    /// The lines of `actual` that `expected` lacks and the other way round, for a failure's message.
    static func difference(_ expected: String, _ actual: String) -> String {
        func counts(_ text: String) -> [Substring: Int] { text.split(separator: "\n").reduce(into: [:]) { $0[$1, default: 0] += 1 } }
        let (old, new) = (counts(expected), counts(actual))
        let missing = old.filter { new[$0.key, default: 0] < $0.value }.keys.sorted()
        let unexpected = new.filter { old[$0.key, default: 0] < $0.value }.keys.sorted()
        return "missing \(missing), unexpected \(unexpected)\(missing.isEmpty && unexpected.isEmpty ? " (the order differs)" : "")"
    }

    static func leftovers(_ lab: HostBridgeLab) throws -> [String] {
        try LeftoverCheckTests.leftovers(about: [lab.bridge], environment: ["VNETCTL_PERSIST_ROOT": lab.persistRoot])
    }

    static func killed(_ result: CommandResult, at step: Int) -> Bool {
        result.stderr.contains("VNETCTL_FAULT_AFTER_STEP=\(step): killed")
    }

    @Test func createConvergesAndDeleteUndoesACutOffCreateAtEveryStep() throws {
        let lab = try HostBridgeLab()
        defer { lab.remove() }
        let create = ["host-bridge", "create", lab.bridge, "--uplink", lab.uplink, "--persist", "networkd"]
        let delete = ["host-bridge", "delete", lab.bridge]
        let before = try Self.state(lab)
        let clean = try Self.run(lab, create)
        try #require(clean.status == 0, "\(clean)")
        let expected = try Self.state(lab)
        let expectedLeftovers = try Self.leftovers(lab)
        try #require(expectedLeftovers.count == 1, "a bridge vnetctl wrote files for, used by no network: \(expectedLeftovers)")
        try #require(try Self.run(lab, delete).status == 0)
        try #require(try Self.state(lab) == before)

        var step = 1
        while true {
            let cut = try Self.run(lab, create, faultAfter: step)
            if !Self.killed(cut, at: step) {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                #expect(try Self.state(lab) == expected)
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            #expect(try Self.leftovers(lab).count == 1, "the half-made bridge is a leftover after step \(step)")
            if step == 1 {
                let other = try Self.run(lab, create.map { $0 == "networkd" ? "ifupdown" : $0 })
                #expect(other.status == 2 && other.stderr.contains("with other options"), "\(other)")
            }

            let undone = try Self.run(lab, delete)
            #expect(undone.status == 0, "delete after a create cut off after step \(step): \(undone)")
            // The record went with the rest: the state compares every file under the root.
            #expect(try Self.state(lab) == before, "delete after a create cut off after step \(step)")

            let again = try Self.run(lab, create, faultAfter: step)
            try #require(Self.killed(again, at: step), "\(again)")
            let rerun = try Self.run(lab, create)
            #expect(rerun.status == 0, "rerun after step \(step): \(rerun)")
            let converged = try Self.state(lab)
            #expect(converged == expected, "rerun after step \(step): \(Self.difference(expected, converged))")
            #expect(try Self.leftovers(lab) == expectedLeftovers, "after step \(step)")
            try #require(try Self.run(lab, delete).status == 0)
            try #require(try Self.state(lab) == before, "after step \(step)")
            step += 1
        }
        // The record; the bridge, up; two addresses; the uplink joins; three routes added and deleted;
        // two addresses leave the uplink; the files.
        #expect(step == 16, "create with this uplink has fifteen steps")
        #expect(lab.peerPings("10.123.201.2"))
    }

    @Test func deleteConvergesAfterAKillAtEveryStep() throws {
        let lab = try HostBridgeLab()
        defer { lab.remove() }
        let create = ["host-bridge", "create", lab.bridge, "--uplink", lab.uplink, "--persist", "nm"]
        let delete = ["host-bridge", "delete", lab.bridge]
        let before = try Self.state(lab)

        var step = 1
        while true {
            let made = try Self.run(lab, create)
            try #require(made.status == 0, "\(made)")
            let cut = try Self.run(lab, delete, faultAfter: step)
            if !Self.killed(cut, at: step) {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                #expect(try Self.state(lab) == before)
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            if step == 1 {
                let refused = try Self.run(lab, create)
                #expect(refused.status == 2 && refused.stderr.contains("host-bridge delete \(lab.bridge)' to finish it"), "\(refused)")
            }
            let again = try Self.run(lab, delete)
            #expect(again.status == 0, "rerun after step \(step): \(again)")
            #expect(try Self.state(lab) == before, "rerun after step \(step)")
            #expect(try Self.leftovers(lab).isEmpty, "after step \(step)")
            step += 1
        }
        // The record; two addresses back on the uplink; the uplink leaves; three routes added and
        // deleted; two addresses leave the bridge; the bridge down; deleted; the files removed.
        #expect(step == 16, "delete of this bridge has fifteen steps")
        #expect(lab.peerPings("10.123.201.2"))
    }

    /// Root namespace: the uplink is a veth whose other end is in an outside namespace. The same
    /// walk for `define network --create-bridge --start` and for `apply` of a file whose bridged
    /// network has `create_bridge: true`.
    @Test(arguments: ["define", "apply"])
    func aNetworkWithItsBridgeConvergesAfterAKillAtEveryStep(command: String) throws {
        let outside = try OutsideNamespace(attachment: .detached)
        defer { outside.remove() }
        let uplink = outside.rootInterface
        let bridge = NetObjectNames.interface(NetObjectNames.id(), "hb")
        let network = TestNames.unique("kcb")
        let root = try HostBridgeLab.temporaryRoot()
        let environment = ["VNETCTL_PERSIST_ROOT": root]
        let file = root + "-lab.yaml"
        try """
            name: \(network)
            networks:
              - { name: \(network), model: bridged, bridge: \(bridge), uplink: \(uplink), create_bridge: true }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        func undo() {
            if command == "apply" { _ = try? VNetCtlBinary.run(["-c", Virsh.uri, "teardown", "-f", file], environment: environment) }
            Virsh.destroyAndUndefine(network)
            _ = try? VNetCtlBinary.run(["-c", Virsh.uri, "host-bridge", "delete", bridge], environment: environment)
        }
        defer {
            undo()
            _ = try? Command.run(["ip", "link", "del", bridge])
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: file)
        }
        try Command.output(["ip", "addr", "add", "10.123.\(outside.octet).1/24", "dev", uplink])
        let define = command == "apply"
            ? ["-c", Virsh.uri, "apply", "-f", file]
            : ["-c", Virsh.uri, "define", "network", network, "--model", "bridged", "--bridge", bridge,
               "--uplink", uplink, "--create-bridge", "--start"]
        func run(faultAfter step: Int? = nil) throws -> CommandResult {
            var variables = environment
            if let step { variables["VNETCTL_FAULT_AFTER_STEP"] = "\(step)" }
            return try VNetCtlBinary.run(define, environment: variables)
        }
        func state() throws -> String {
            func queries(_ link: String) -> [[String]] {
                [["link", "show", "dev", link], ["addr", "show", "dev", link], ["route", "show", "dev", link],
                 ["-6", "route", "show", "dev", link]]
            }
            try Self.settle([], [uplink] + ((try? Command.output(["ip", "link", "show", "dev", bridge])) == nil ? [] : [bridge]))
            let bridgeLinks = (try? Self.snapshot([], queries(bridge))) ?? "-"
            let links = [try Self.snapshot([], queries(uplink)), bridgeLinks]
            let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { path in
                (try? FileManager.default.attributesOfItem(atPath: root + "/" + path)[.type] as? FileAttributeType) == .typeRegular
            }.sorted()
            return (links + [try KillWalkTests.networkState(network) ?? "-"] + files).joined(separator: "\n")
        }
        let before = try state()
        let clean = try run()
        try #require(clean.status == 0, "\(clean)")
        let expected = try state()
        try #require(try HostBridgeLab.linkMaster(uplink) == bridge && Virsh.isActive(network), "\(expected)")
        undo()
        let undone = try state()
        try #require(undone == before, "\(before)\n---- after create and delete:\n\(undone)")

        var step = 1
        while true {
            let cut = try run(faultAfter: step)
            if !Self.killed(cut, at: step) {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                #expect(try state() == expected)
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            let again = try run()
            #expect(again.status == 0, "rerun after step \(step): \(again)")
            #expect(try state() == expected, "rerun after step \(step)")
            #expect(try HostBridgeLab.linkMaster(uplink) == bridge, "after step \(step)")
            #expect(try LeftoverCheckTests.leftovers(about: [network, bridge], environment: environment).isEmpty, "after step \(step)")
            undo()
            #expect(try state() == before, "after step \(step)")
            step += 1
        }
        // The record; the bridge, up; the address; the uplink joins; the address leaves the uplink;
        // the files (none: apply writes none, and no network manager is under the test's root); the
        // network's define.
        #expect(step == 9, "\(command) with this uplink has eight steps before the network's start")
    }
}
