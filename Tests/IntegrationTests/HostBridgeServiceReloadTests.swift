import Foundation
import Testing
import TestSupport

/// After `host-bridge create --persist nm|networkd` writes its files, a running NetworkManager is
/// asked to load them and a stopped one is left alone, as the output says. Neither service runs on
/// this host: `nmcli` and `networkctl` are scripts first on PATH that log how they were called and
/// answer as the real ones do.
@Suite(.onTestThreads, .serialized)
struct HostBridgeServiceReloadTests {
    /// A directory holding a fake `nmcli` (NetworkManager in `state`) and `networkctl`, both logging
    /// their arguments, one call a line.
    final class FakeTools {
        let directory: String
        var log: String { directory + "/calls.log" }

        init(networkManager state: String) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestNames.unique("tools")).path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let nmcli = """
                #!/bin/sh
                echo "nmcli $*" >> '\(log)'
                if [ "$*" = "-t -f RUNNING general" ]; then
                    [ '\(state)' = running ] && { echo running; exit 0; }
                    echo "Error: NetworkManager is not running." >&2; exit 8
                fi
                exit 0

                """
            let networkctl = "#!/bin/sh\necho \"networkctl $*\" >> '\(log)'\nexit 0\n"
            for (name, text) in [("nmcli", nmcli), ("networkctl", networkctl)] {
                FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(text.utf8), attributes: [.posixPermissions: 0o755])
            }
        }

        var calls: [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// `host-bridge create --persist PERSIST --json` in the lab's namespace, with the fake tools first on PATH.
    static func create(_ lab: HostBridgeLab, persist: String, tools: FakeTools) throws -> (result: CommandResult, files: [String]) {
        let path = tools.directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
        let result = try Command.run(
            ["ip", "netns", "exec", lab.namespace, VNetCtlBinary.path, "host-bridge", "create", lab.bridge,
             "--uplink", lab.uplink, "--persist", persist, "--json"],
            environment: ["VNETCTL_PERSIST_ROOT": lab.persistRoot, "PATH": path])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let files = (json?["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        return (result, files)
    }

    static func service(_ result: CommandResult) throws -> String? {
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return json?["service"] as? String
    }

    @Test func aRunningNetworkManagerLoadsTheWrittenFiles() throws {
        let lab = try HostBridgeLab()
        let tools = try FakeTools(networkManager: "running")
        defer {
            lab.remove()
            tools.remove()
        }
        let (result, files) = try Self.create(lab, persist: "nm", tools: tools)
        try #require(result.status == 0, "\(result)")
        try #require(!files.isEmpty, "\(result.stdout)")
        let written = files.map { lab.persistRoot + $0 }
        #expect(written.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        #expect(tools.calls == ["nmcli -t -f RUNNING general", "nmcli connection load \(written.joined(separator: " "))"], "\(tools.calls)")
        #expect(try Self.service(result)?.hasPrefix("NetworkManager loaded the files") == true, "\(result.stdout)")
    }

    @Test func aStoppedNetworkManagerIsLeftAloneAndTheOutputSaysWhen() throws {
        let lab = try HostBridgeLab()
        let tools = try FakeTools(networkManager: "stopped")
        defer {
            lab.remove()
            tools.remove()
        }
        let (result, files) = try Self.create(lab, persist: "nm", tools: tools)
        try #require(result.status == 0, "\(result)")
        try #require(!files.isEmpty, "\(result.stdout)")
        #expect(tools.calls == ["nmcli -t -f RUNNING general"], "no load: \(tools.calls)")
        let service = try Self.service(result)
        #expect(service?.hasPrefix("NetworkManager is not running:") == true && service?.hasSuffix("take effect when it starts") == true,
                "\(result.stdout)")
    }

    /// `define network --create-bridge` says what the service did with the bridge's files, in the
    /// words `host-bridge create` uses: here NetworkManager is detected (its /run directory under
    /// the persistence root) and running.
    @Test func defineNetworkCreateBridgeSaysWhatNetworkManagerDid() throws {
        let lab = try HostBridgeLab()
        let tools = try FakeTools(networkManager: "running")
        let network = TestNames.unique("hbs")
        defer {
            Virsh.destroyAndUndefine(network)
            lab.remove()
            tools.remove()
        }
        try FileManager.default.createDirectory(atPath: lab.persistRoot + "/run/NetworkManager", withIntermediateDirectories: true)
        let path = tools.directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
        let result = try Command.run(
            ["ip", "netns", "exec", lab.namespace, VNetCtlBinary.path, "-c", Virsh.uri, "define", "network", network,
             "--model", "bridged", "--bridge", lab.bridge, "--uplink", lab.uplink, "--create-bridge"],
            environment: ["VNETCTL_PERSIST_ROOT": lab.persistRoot, "PATH": path])
        try #require(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let written = lines.filter { $0.hasPrefix("wrote ") }.map { lab.persistRoot + $0.dropFirst("wrote ".count) }
        try #require(!written.isEmpty, "\(result.stdout)")
        #expect(tools.calls == ["nmcli -t -f RUNNING general", "nmcli connection load \(written.joined(separator: " "))"], "\(tools.calls)")
        #expect(lines.contains { $0.hasPrefix("NetworkManager loaded the files") }, "\(result.stdout)")
        #expect(try Virsh.dumpXML(network).contains("<bridge name='\(lab.bridge)'/>"))
    }

    /// Whether systemd-networkd's process runs on this host.
    static var networkdRuns: Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).contains { entry in
            (try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8)) == "systemd-network\n"
        }
    }

    @Test(.enabled(if: !networkdRuns, "systemd-networkd runs here"))
    func aStoppedNetworkdIsLeftAloneAndTheTextSaysWhen() throws {
        let lab = try HostBridgeLab()
        let tools = try FakeTools(networkManager: "stopped")
        defer {
            lab.remove()
            tools.remove()
        }
        let path = tools.directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
        let result = try Command.run(
            ["ip", "netns", "exec", lab.namespace, VNetCtlBinary.path, "host-bridge", "create", lab.bridge,
             "--uplink", lab.uplink, "--persist", "networkd"],
            environment: ["VNETCTL_PERSIST_ROOT": lab.persistRoot, "PATH": path])
        try #require(result.status == 0, "\(result)")
        #expect(tools.calls.isEmpty, "networkctl must not run: \(tools.calls)")
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("systemd-networkd is not running:") && $0.hasSuffix("take effect when it starts") },
                "\(result.stdout)")
    }
}
