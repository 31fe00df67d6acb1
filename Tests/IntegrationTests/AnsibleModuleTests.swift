import Foundation
import Synchronization
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// vnetctl as an Ansible binary module, driven by a real `ansible-playbook` (ansible-core from PyPI
/// in a cached venv) against `qemu:///system`: apply, idempotence, check mode, diff mode, bad
/// arguments and `state: absent`, each checked through virsh.
@Suite(.onTestThreads, .serialized)
struct AnsibleModuleTests {
    @Test func playbookAppliesIsIdempotentChecksDiffsAndTearsDown() throws {
        let ansible = try AnsibleVenv.ensure()
        let lab = try AnsibleLab()
        let workspace = try AnsibleWorkspace(venv: ansible)
        defer {
            lab.removeLeftovers()
            workspace.remove()
        }

        // 1. First run applies the lab.
        let first = try workspace.play(lab.playbook(), callback: "default")
        #expect(first.status == 0, "first run failed: \(first)")
        #expect(AnsiblePlay.recap(first.stdout) == ["changed": 1, "failed": 0], "\(first.stdout)")
        let networks = try Virsh.networkNames(all: true)
        #expect(networks.isSuperset(of: [lab.nat, lab.isolated]), "virsh net-list --all: \(networks.sorted())")
        #expect(try Virsh.isActive(lab.nat) && Virsh.isActive(lab.isolated))
        let domains = try VirshDomains.names()
        #expect(domains.isSuperset(of: [lab.web, lab.db]), "virsh list --all: \(domains.sorted())")
        let natXML = try VMNetworkXML.read(lab.nat)
        #expect(natXML.dhcpHosts.contains { $0.ip == lab.ip(lab.natOctet, 11) && $0.name == lab.web })
        #expect(natXML.dhcpHosts.contains { $0.ip == lab.ip(lab.natOctet, 5) && $0.mac == lab.printerMAC })

        // 2. Second run changes nothing.
        let second = try workspace.play(lab.playbook(), callback: "default")
        #expect(second.status == 0, "second run failed: \(second)")
        #expect(AnsiblePlay.recap(second.stdout) == ["changed": 0, "failed": 0], "\(second.stdout)")

        // 3. Check mode after an edit (one more DHCP host) reports the change and makes none.
        let before = try VMHostState.capture(tag: lab.id, networks: [lab.nat, lab.isolated])
        let check = try workspace.play(lab.playbook(extraHost: true), callback: "oneline", arguments: ["--check"])
        #expect(check.status == 0, "check run failed: \(check)")
        let checked = try AnsiblePlay.oneline(check.stdout)
        #expect(checked.state == "CHANGED" && checked.result["changed"] as? Bool == true, "\(check.stdout)")
        let actions = checked.result["actions"] as? [[String: Any]] ?? []
        let natAction = actions.first { $0["name"] as? String == lab.nat }
        #expect(natAction?["outcome"] as? String == "updated live", "\(check.stdout)")
        #expect((natAction?["changes"] as? [String] ?? []).contains { $0.contains(lab.newHostMAC) }, "\(check.stdout)")
        #expect(try VMHostState.capture(tag: lab.id, networks: [lab.nat, lab.isolated]).differences(to: before) == [])
        #expect(!(try VMNetworkXML.read(lab.nat).dhcpHosts.contains { $0.mac == lab.newHostMAC }))

        // 4. --check --diff shows the new host line as Ansible prints diffs, and still changes nothing.
        let diff = try workspace.play(lab.playbook(extraHost: true), callback: "default", arguments: ["--check", "--diff"])
        #expect(diff.status == 0, "check+diff run failed: \(diff)")
        #expect(AnsiblePlay.recap(diff.stdout) == ["changed": 1, "failed": 0], "\(diff.stdout)")
        #expect(diff.stdout.contains("+++ after: network \(lab.nat)"), "\(diff.stdout)")
        let hostLine = "+dhcp host: \(lab.newHostMAC),\(lab.ip(lab.natOctet, 6)),newhost"
        #expect(diff.stdout.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == hostLine },
                "no '\(hostLine)' in:\n\(diff.stdout)")
        #expect(try VMHostState.capture(tag: lab.id, networks: [lab.nat, lab.isolated]).differences(to: before) == [])

        // 5. state: absent removes everything the playbook made.
        let absent = try workspace.play(lab.playbook(state: "absent"), callback: "oneline")
        #expect(absent.status == 0, "absent run failed: \(absent)")
        let removed = try AnsiblePlay.oneline(absent.stdout)
        #expect(removed.state == "CHANGED", "\(absent.stdout)")
        let outcomes = (removed.result["actions"] as? [[String: Any]] ?? []).compactMap { $0["outcome"] as? String }
        #expect(outcomes == Array(repeating: "removed", count: 4), "\(absent.stdout)")
        #expect(try Virsh.networkNames(all: true).isDisjoint(with: [lab.nat, lab.isolated]))
        #expect(try VirshDomains.names().isDisjoint(with: [lab.web, lab.db]))
    }

    /// `state: absent` removes only what the topology made, `force: true` the rest; in check mode it
    /// reports exactly what the run that follows does, and changes nothing.
    @Test func absentInCheckModeAgreesWithTheRunOnMarkedAndUnmarkedObjects() throws {
        let ansible = try AnsibleVenv.ensure()
        let lab = try AnsibleLab()
        let workspace = try AnsibleWorkspace(venv: ansible)
        let foreign = (name: "\(TestNames.prefix)au-\(lab.id)", octet: try TestSubnets.freeThirdOctet())
        defer {
            lab.removeLeftovers()
            Virsh.destroyAndUndefine(foreign.name)
            workspace.remove()
        }
        let applied = try workspace.play(lab.playbook(), callback: "default")
        try #require(applied.status == 0, "\(applied)")
        try Virsh.defineAndStart(xml: """
            <network><name>\(foreign.name)</name><bridge name='vnau\(lab.id)'/>
            <ip address='10.123.\(foreign.octet).1' netmask='255.255.255.0'/></network>
            """, name: foreign.name)
        let networks = [lab.nat, lab.isolated, foreign.name]

        /// Runs `state: absent` with `--check`, then for real: both results, host unchanged by the first.
        func checkThenRun(force: Bool) throws -> (check: [String: Any], run: [String: Any]) {
            let playbook = lab.playbook(state: "absent", extraArgument: force ? "force: true" : nil, extraNetwork: foreign)
            let before = try VMHostState.capture(tag: lab.id, networks: networks)
            let check = try workspace.play(playbook, callback: "oneline", arguments: ["--check"])
            #expect(check.status == 0, "\(check)")
            #expect(try VMHostState.capture(tag: lab.id, networks: networks).differences(to: before) == [], "check mode changed the host")
            let run = try workspace.play(playbook, callback: "oneline")
            #expect(run.status == 0, "\(run)")
            return (try AnsiblePlay.oneline(check.stdout).result, try AnsiblePlay.oneline(run.stdout).result)
        }
        func lines(_ result: [String: Any]) -> [String] {
            (result["actions"] as? [[String: Any]] ?? []).map { action in
                "\(action["kind"] ?? "?") \(action["name"] ?? "?"): \(action["outcome"] ?? "?") "
                    + (action["changes"] as? [String] ?? []).joined(separator: "; ")
            }
        }

        // Without force: the playbook's four objects go, the virsh-made network is listed and stays.
        let marked = try checkThenRun(force: false)
        #expect(lines(marked.check) == [
            "vm \(lab.web): removed ", "vm \(lab.db): removed ", "network \(lab.nat): removed ",
            "network \(lab.isolated): removed ", "network \(foreign.name): left alone not made by vnetctl; force removes it",
        ])
        #expect(lines(marked.run) == lines(marked.check))
        #expect(marked.check["changed"] as? Bool == true && marked.run["changed"] as? Bool == true)
        #expect(marked.check["msg"] as? String == marked.run["msg"] as? String)
        #expect(try Virsh.networkNames(all: true).isDisjoint(with: [lab.nat, lab.isolated]))
        #expect(try VirshDomains.names().isDisjoint(with: [lab.web, lab.db]))
        #expect(try Virsh.isActive(foreign.name))

        // Left alone is not a change: check and run both say ok.
        let unmarked = try checkThenRun(force: false)
        #expect(lines(unmarked.check) == ["network \(foreign.name): left alone not made by vnetctl; force removes it"])
        #expect(lines(unmarked.run) == lines(unmarked.check))
        #expect(unmarked.check["changed"] as? Bool == false && unmarked.run["changed"] as? Bool == false)
        #expect(try Virsh.isActive(foreign.name))

        // force: true removes it, in check mode as reported.
        let forced = try checkThenRun(force: true)
        #expect(lines(forced.check) == ["network \(foreign.name): removed not made by vnetctl; removed by force"])
        #expect(lines(forced.run) == lines(forced.check))
        #expect(forced.check["changed"] as? Bool == true && forced.run["changed"] as? Bool == true)
        #expect(!(try Virsh.networkNames(all: true)).contains(foreign.name))
    }

    @Test(arguments: [
        ("bogus: 1", "Unsupported parameters for (vnetctl) module: bogus; supported: allow_restart, force, host, lock_timeout, prune, src, state, topology, uri"),
        ("lock_timeout: soon", "lock_timeout: 'soon' is not a number of seconds from 0 to 86400"),
        ("state: maybe", "state: 'maybe' is not present or absent"),
        ("host: kvm9", "host 'kvm9': topology names no hosts:, so all of it is one host's; leave the host out"),
    ])
    func badArgumentFailsTheTaskWithTheModuleMessage(argument: String, message: String) throws {
        let ansible = try AnsibleVenv.ensure()
        let lab = try AnsibleLab()
        let workspace = try AnsibleWorkspace(venv: ansible)
        defer {
            lab.removeLeftovers()
            workspace.remove()
        }
        let run = try workspace.play(lab.playbook(extraArgument: argument), callback: "oneline")
        #expect(run.status == 2, "ansible-playbook should report a failed task (exit 2): \(run)")
        let failed = try AnsiblePlay.oneline(run.stdout)
        #expect(failed.state == "FAILED!", "\(run.stdout)")
        #expect(failed.result["msg"] as? String == message, "\(run.stdout)")
        #expect(failed.result["changed"] as? Bool == false)
        #expect(try Virsh.networkNames(all: true).isDisjoint(with: [lab.nat, lab.isolated]))
        #expect(try VirshDomains.names().isDisjoint(with: [lab.web, lab.db]))
    }
}

/// The lab the playbook describes: a NAT and an isolated network on free 10.123.X.0/24s and two
/// VMs (defined, not started) with reservations, all named `vnt-…-ID`.
private struct AnsibleLab {
    let id: String
    let nat: String, isolated: String, web: String, db: String
    let natOctet: Int, isolatedOctet: Int
    let printerMAC = "52:54:00:7b:a0:05"
    let newHostMAC = "52:54:00:7b:a0:06"

    init() throws {
        id = String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(6))
        // Different first 12 characters, so each gets the bridge vn-<name> without numbering.
        nat = "\(TestNames.prefix)an-\(id)"
        isolated = "\(TestNames.prefix)ai-\(id)"
        web = "\(TestNames.prefix)aw-\(id)"
        db = "\(TestNames.prefix)ad-\(id)"
        natOctet = try TestSubnets.freeThirdOctet()
        isolatedOctet = try TestSubnets.freeThirdOctet()
    }

    func ip(_ octet: Int, _ host: Int) -> String { "10.123.\(octet).\(host)" }

    func playbook(
        state: String = "present", extraHost: Bool = false, extraArgument: String? = nil,
        extraNetwork: (name: String, octet: Int)? = nil
    ) -> String {
        let newHost = extraHost
            ? "\n                  - { mac: \"\(newHostMAC)\", ip: \(ip(natOctet, 6)), hostname: newhost }" : ""
        let network = extraNetwork.map { "\n            - { name: \($0.name), model: isolated, subnet: 10.123.\($0.octet).0/24 }" } ?? ""
        let extra = extraArgument.map { "\n        \($0)" } ?? ""
        return """
            - name: vnetctl module test
              hosts: localhost
              connection: local
              gather_facts: false
              tasks:
                - name: lab
                  vnetctl:
                    uri: qemu:///system
                    state: \(state)\(extra)
                    topology:
                      name: \(TestNames.prefix)ansible-\(id)
                      networks:
                        - name: \(nat)
                          model: nat
                          subnet: 10.123.\(natOctet).0/24
                          dhcp:
                            range: \(ip(natOctet, 100))-\(ip(natOctet, 200))
                            hosts:
                              - { mac: "\(printerMAC)", ip: \(ip(natOctet, 5)), hostname: printer }\(newHost)
                        - name: \(isolated)
                          model: isolated
                          subnet: 10.123.\(isolatedOctet).0/24\(network)
                      vms:
                        - name: \(web)
                          memory: 128MiB
                          set: { virtType: qemu }
                          start: false
                          nics:
                            - { network: \(nat), ip: \(ip(natOctet, 11)) }
                            - { network: \(isolated), ip: \(ip(isolatedOctet, 11)) }
                        - name: \(db)
                          memory: 128MiB
                          set: { virtType: qemu }
                          start: false
                          nics:
                            - { network: \(isolated), ip: \(ip(isolatedOctet, 20)) }

            """
    }

    /// Removes whatever of the lab is left (VMs first, then networks), through virsh; only these names.
    func removeLeftovers() {
        VirshDomains.destroyAndUndefine([web, db])
        for network in [nat, isolated] where (try? Virsh.networkNames(all: true).contains(network)) ?? true {
            Virsh.destroyAndUndefine(network)
        }
    }
}

/// A throwaway directory with `library/vnetctl` (a symlink to the built binary), `ansible.cfg`
/// and the playbook, from which `ansible-playbook` runs.
private struct AnsibleWorkspace {
    let directory: URL
    let venv: String

    init(venv: String) throws {
        self.venv = venv
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-ansible-\(UUID().uuidString)")
        let library = directory.appendingPathComponent("library")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: library.appendingPathComponent("vnetctl").path, withDestinationPath: VNetCtlBinary.path)
        // Everything Ansible writes (its temp copies of the module) stays in the workspace.
        let config = """
            [defaults]
            library = \(library.path)
            interpreter_python = \(venv)/bin/python3
            local_tmp = \(directory.path)/local-tmp
            remote_tmp = \(directory.path)/remote-tmp
            localhost_warning = False
            retry_files_enabled = False
            nocolor = True

            [inventory]
            inventory_unparsed_warning = False

            """
        try config.write(to: directory.appendingPathComponent("ansible.cfg"), atomically: true, encoding: .utf8)
    }

    /// Writes `playbook` and runs `ansible-playbook` on it with the `callback` stdout plugin.
    /// Ansible runs a copy of the module from its temp directory, with no templates beside it and
    /// no `VNETCTL_TEMPLATES`: the module renders with the templates built into the binary.
    func play(_ playbook: String, callback: String, arguments: [String] = []) throws -> CommandResult {
        let file = directory.appendingPathComponent("playbook.yml")
        try playbook.write(to: file, atomically: true, encoding: .utf8)
        return try Command.run(
            ["\(venv)/bin/ansible-playbook", file.path] + arguments,
            environment: [
                "ANSIBLE_CONFIG": directory.appendingPathComponent("ansible.cfg").path,
                "ANSIBLE_LIBRARY": directory.appendingPathComponent("library").path,
                "ANSIBLE_STDOUT_CALLBACK": callback,
                "ANSIBLE_FORCE_COLOR": "0",
            ])
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Reading `ansible-playbook` output.
enum AnsiblePlay {
    /// `changed` and `failed` of localhost in the default callback's PLAY RECAP.
    static func recap(_ stdout: String) -> [String: Int] {
        guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix("localhost ") && $0.contains("ok=") })
        else { return [:] }
        var counts: [String: Int] = [:]
        for word in line.split(separator: " ") {
            let pair = word.split(separator: "=")
            if pair.count == 2, ["changed", "failed"].contains(pair[0]), let value = Int(pair[1]) {
                counts[String(pair[0])] = value
            }
        }
        return counts
    }

    /// The oneline callback's `localhost | STATE => {json}` line: the state and the module result.
    static func oneline(_ stdout: String) throws -> (state: String, result: [String: Any]) {
        let line = try #require(
            stdout.split(separator: "\n").first { $0.hasPrefix("localhost | ") }, "no result line in:\n\(stdout)")
        let parts = line.dropFirst("localhost | ".count).split(separator: " => ", maxSplits: 1)
        try #require(parts.count == 2, "unexpected result line: \(line)")
        let object = try JSONSerialization.jsonObject(with: Data(parts[1].utf8))
        return (String(parts[0]), try #require(object as? [String: Any], "not a JSON object: \(line)"))
    }
}

/// ansible-core in a venv cached under /var/tmp (keyed by the version), made on first use:
/// `python3 -m venv`, then `pip install ansible-core`. Without network (or python3-venv) it fails
/// the test with the reason rather than skipping it.
enum AnsibleVenv {
    static let series = "2.17"
    static let requirement = "ansible-core==\(series).*"
    static let root = "/var/tmp/vnetctl-ansible-venv"
    static var path: String { "\(root)/ansible-core-\(series)" }

    struct SetupFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// A setup failure, remembered so later tests in this process fail at once instead of retrying pip.
    private static let failure = Mutex<SetupFailure?>(nil)

    /// The venv's path, once it has a working `ansible-playbook`.
    static func ensure() throws -> String {
        if let failure = failure.withLock({ $0 }) { throw failure }
        do {
            return try make()
        } catch let error as SetupFailure {
            failure.withLock { $0 = error }
            throw error
        }
    }

    private static func make() throws -> String {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // One test process at a time builds the venv; the others wait and then reuse it.
        let lock = open("\(root)/.lock", O_CREAT | O_RDWR, 0o644)
        guard lock >= 0 else { throw SetupFailure(description: "cannot open \(root)/.lock") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }

        let marker = "\(path)/.vnetctl-ready"
        if FileManager.default.fileExists(atPath: marker), works() { return path }
        try? FileManager.default.removeItem(atPath: path)
        // Debian's python3 (python3-venv gives it ensurepip); a pyenv python3 in PATH also works.
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        let venv = try Command.run([python, "-m", "venv", path])
        guard venv.status == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw SetupFailure(
                description: "\(python) -m venv \(path) failed (on Debian install python3-venv): \(venv)")
        }
        let pip = try Command.run([
            "\(path)/bin/python3", "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
            "--retries", "2", "--timeout", "30", requirement,
        ])
        guard pip.status == 0, works() else {
            try? FileManager.default.removeItem(atPath: path)
            throw SetupFailure(
                description: "cannot install \(requirement) from PyPI into \(path) (no network?); "
                    + "this test needs a real ansible-playbook: \(pip)")
        }
        try requirement.write(toFile: marker, atomically: true, encoding: .utf8)
        return path
    }

    private static func works() -> Bool {
        guard let result = try? Command.run(["\(path)/bin/ansible-playbook", "--version"]) else { return false }
        return result.status == 0 && result.stdout.contains("[core \(series).")
    }
}
