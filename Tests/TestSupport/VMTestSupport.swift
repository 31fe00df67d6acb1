import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// libvirt domains on `qemu:///system` as virsh shows them: the independent witness for VM tests.
public enum VirshDomains {
    /// `virsh list --all --name`.
    public static func names() throws -> Set<String> {
        let text = try Virsh.output(["list", "--all", "--name"])
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    public static func exists(_ name: String) -> Bool {
        ((try? Virsh.run(["dominfo", name]))?.status ?? 1) == 0
    }

    /// `virsh dumpxml` (with `inactive`: the saved config).
    public static func xml(_ name: String, inactive: Bool = false) throws -> String {
        try Virsh.output(["dumpxml"] + (inactive ? ["--inactive"] : []) + [name])
    }

    /// The `<mac address=…>` of every `<interface>` in domain XML, lowercased, in document order.
    public static func interfaceMACs(inXML xml: String) throws -> [String] {
        let document = try XMLDocument(xmlString: xml)
        return try document.nodes(forXPath: "/domain/devices/interface/mac/@address").compactMap {
            $0.stringValue?.lowercased()
        }
    }

    /// Dumps many domains with one virsh process (`virsh "dumpxml a; dumpxml b; …"`): name → XML.
    /// A domain that does not exist is missing from the result.
    public static func xmls(of names: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for chunk in stride(from: 0, to: names.count, by: 100).map({ Array(names[$0..<min($0 + 100, names.count)]) }) {
            let script = chunk.map { "dumpxml \($0)" }.joined(separator: "; ")
            let output = try Command.run(["virsh", "-q", "-c", Virsh.uri, script]).stdout
            for piece in output.components(separatedBy: "</domain>") where piece.contains("<domain") {
                let xml = String(piece[piece.range(of: "<domain")!.lowerBound...]) + "</domain>"
                let document = try XMLDocument(xmlString: xml)
                guard let name = try document.nodes(forXPath: "/domain/name").first?.stringValue else { continue }
                result[name] = xml
            }
        }
        return result
    }

    /// Powers off and undefines test domains (names starting with `vnt-` only) through virsh,
    /// batched into few virsh processes, ignoring "not running" and "not found".
    public static func destroyAndUndefine(_ names: [String]) {
        guard let existing = try? Self.names() else { return }
        let mine = names.filter { $0.hasPrefix(TestNames.prefix) && existing.contains($0) }
        for chunk in stride(from: 0, to: mine.count, by: 100).map({ Array(mine[$0..<min($0 + 100, mine.count)]) }) {
            let script = chunk.flatMap { ["destroy \($0)", "undefine \($0)"] }.joined(separator: "; ")
            _ = try? Command.run(["virsh", "-q", "-c", Virsh.uri, script])
        }
        // virsh goes on after a failed command, but check and retry one by one to be sure.
        let left = (try? Self.names()) ?? Set(mine)
        for name in mine where left.contains(name) {
            _ = try? Virsh.run(["destroy", name])
            _ = try? Virsh.run(["undefine", name])
        }
    }

    /// Defines a domain from XML text through `virsh define`.
    public static func define(xml: String, name: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).xml").path
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Virsh.output(["define", file])
    }

    /// Starts a transient domain from XML text through `virsh create`.
    public static func create(xml: String, name: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).xml").path
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Virsh.output(["create", file])
    }

    /// A minimal diskless TCG domain with one NIC per `(network, mac)`, not made by vnetctl.
    public static func minimalXML(name: String, nics: [(network: String, mac: String)], memoryMiB: Int = 64) -> String {
        let interfaces = nics.map { nic in
            """
                <interface type='network'>
                  <source network='\(nic.network)'/>
                  <mac address='\(nic.mac)'/>
                  <model type='virtio'/>
                </interface>
            """
        }.joined(separator: "\n")
        return """
            <domain type='qemu'>
              <name>\(name)</name>
              <memory unit='MiB'>\(memoryMiB)</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64'>hvm</type><boot dev='network'/></os>
              <on_poweroff>destroy</on_poweroff>
              <devices>
            \(interfaces)
              </devices>
            </domain>
            """
    }
}

/// A network's DHCP reservations and DNS hosts, read from `virsh net-dumpxml` (live or `--inactive`).
public struct VMNetworkXML: Sendable {
    public struct DHCPHost: Sendable, Equatable {
        public var mac: String?
        public var ip: String?
        public var name: String?
    }

    public struct DNSHost: Sendable, Equatable {
        public var ip: String
        public var hostnames: [String]
    }

    public var xml: String
    public var dhcpHosts: [DHCPHost]
    public var dnsHosts: [DNSHost]
    /// `<bridge name=…>`.
    public var bridge: String?

    public init(xml: String) throws {
        self.xml = xml
        let document = try XMLDocument(xmlString: xml)
        dhcpHosts = try document.nodes(forXPath: "/network/ip/dhcp/host").compactMap { node in
            guard let element = node as? XMLElement else { return nil }
            return DHCPHost(
                mac: element.attribute(forName: "mac")?.stringValue?.lowercased(),
                ip: element.attribute(forName: "ip")?.stringValue, name: element.attribute(forName: "name")?.stringValue)
        }
        dnsHosts = try document.nodes(forXPath: "/network/dns/host").compactMap { node in
            guard let element = node as? XMLElement, let ip = element.attribute(forName: "ip")?.stringValue else { return nil }
            return DNSHost(ip: ip, hostnames: element.elements(forName: "hostname").compactMap(\.stringValue))
        }
        bridge = try document.nodes(forXPath: "/network/bridge/@name").first?.stringValue
    }

    /// `virsh net-dumpxml [--inactive] NAME`, parsed.
    public static func read(_ network: String, inactive: Bool = false) throws -> VMNetworkXML {
        try VMNetworkXML(xml: Virsh.output(["net-dumpxml"] + (inactive ? ["--inactive"] : []) + [network]))
    }
}

/// What a failed `vnetctl define vm` must leave as it was: the domains that are not other tests'
/// (everything without the `vnt-` prefix, plus the test's own, recognised by `tag`), the saved XML
/// of the test's own domains, and the live and saved XML of the networks the test made.
public struct VMHostState: Sendable, Equatable {
    public var domains: Set<String>
    public var domainXML: [String: String]
    public var networkXML: [String: [String]]

    /// Reads the state now. `tag` is a string in the name of every domain the test made.
    public static func capture(tag: String, networks: [String]) throws -> VMHostState {
        let domains = try VirshDomains.names().filter { !$0.hasPrefix(TestNames.prefix) || $0.contains(tag) }
        var domainXML: [String: String] = [:]
        for name in domains where name.contains(tag) {
            domainXML[name] = try VirshDomains.xml(name, inactive: true)
        }
        var networkXML: [String: [String]] = [:]
        for name in networks {
            networkXML[name] = [
                (try? Virsh.output(["net-dumpxml", name])) ?? "", (try? Virsh.output(["net-dumpxml", "--inactive", name])) ?? "",
            ]
        }
        return VMHostState(domains: domains, domainXML: domainXML, networkXML: networkXML)
    }

    /// What differs from `self` to `other`, in words; empty when nothing did.
    public func differences(to other: VMHostState) -> [String] {
        var found: [String] = []
        for name in other.domains.subtracting(domains).sorted() { found.append("domain \(name) added") }
        for name in domains.subtracting(other.domains).sorted() { found.append("domain \(name) removed") }
        for (name, xml) in domainXML where other.domainXML[name].map({ $0 != xml }) ?? false {
            found.append("domain \(name) XML changed")
        }
        for (name, xmls) in networkXML where other.networkXML[name] != xmls {
            found.append("network \(name) XML changed")
        }
        return found
    }
}

/// VMs a test defines, removed at the end (also on failure): `vnetctl undefine vm --force` first, so their
/// reservations go too, then virsh for whatever is left.
public final class VMCleanup: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []

    public init() {}

    public func track(_ name: String) {
        lock.withLock { names.append(name) }
    }

    public func removeAll() {
        let names = lock.withLock { self.names }
        for name in names where VirshDomains.exists(name) {
            _ = try? VNetCtlBinary.run(["-c", Virsh.uri, "undefine", "vm", name, "--force"])
        }
        VirshDomains.destroyAndUndefine(names)
        lock.withLock { self.names.removeAll() }
    }

    deinit { removeAll() }
}

/// Shell scripts run side by side: every process is started before any is waited for.
public enum VMConcurrentShell {
    public static func run(_ scripts: [String]) throws -> [CommandResult] {
        let directory = FileManager.default.temporaryDirectory
        var running: [(Process, URL, URL)] = []
        defer {
            for (_, out, err) in running {
                try? FileManager.default.removeItem(at: out)
                try? FileManager.default.removeItem(at: err)
            }
        }
        for script in scripts {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script]
            let out = directory.appendingPathComponent("vnt-vm-\(UUID().uuidString).out")
            let err = directory.appendingPathComponent("vnt-vm-\(UUID().uuidString).err")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            _ = FileManager.default.createFile(atPath: err.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            process.standardInput = FileHandle.nullDevice
            running.append((process, out, err))
        }
        for (process, _, _) in running { try process.run() }
        return try running.map { process, out, err in
            process.waitUntilExit()
            return CommandResult(
                status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                stderr: try String(contentsOf: err, encoding: .utf8))
        }
    }
}

/// The JSON that `vnetctl … --json` prints for VMs and MACs.
public enum VMJSON {
    public struct NIC: Decodable, Sendable {
        public var network: String
        public var mac: String
        public var ip: String?
        public var hostname: String?
    }

    public struct Lease: Decodable, Sendable {
        public var network: String
        public var mac: String
        public var address: String
    }

    /// `define vm --json`.
    public struct Defined: Decodable, Sendable {
        public var name: String
        public var nics: [NIC]
        public var dryRun: Bool
        public var started: Bool
        public var leases: [Lease]?
        public var xml: String
    }

    /// `show vm --json`.
    public struct Shown: Decodable, Sendable {
        public struct NIC: Decodable, Sendable {
            public struct Source: Decodable, Sendable {
                public var network: String?
                public var bridge: String?
            }
            public var kind: String
            public var source: Source
            public var mac: String?
            public var model: String?
            public var reservedIP: String?
            public var leasedIP: String?
            public var tap: String?
        }
        public var name: String
        public var state: String
        public var nics: [NIC]
    }

    /// `macs [--check] --json`.
    public struct MACs: Decodable, Sendable {
        public struct Use: Decodable, Sendable {
            public var mac: String
            public var kind: String
            public var owner: String
            public var detail: String?
        }
        public var macs: [Use]?
        public var duplicates: [[Use]]
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
