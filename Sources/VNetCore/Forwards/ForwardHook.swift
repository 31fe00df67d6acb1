import Foundation
import Libvirt
import LibXML
#if canImport(Glibc)
import Glibc
#endif

/// The libvirt network hook that puts a network's forwards in place whenever libvirt starts it
/// (`virsh net-start`, autostart at boot) and takes them away when it stops.
///
/// libvirt runs every executable in `/etc/libvirt/hooks/network.d/` with `NETWORK OPERATION
/// SUBOPERATION EXTRA` and the network XML on stdin. libvirtd looks for hook scripts only when it
/// starts or is reloaded (SIGHUP): one installed while it runs is ignored until then. The script
/// calls `vnetctl forwards hook`, which reads only stdin (calling back into libvirt from inside its
/// network start would deadlock) and never fails a start.
public enum ForwardHook {
    /// Where the hook script goes; packaging installs the same file here.
    public static let installPath = "/etc/libvirt/hooks/network.d/vnetctl"

    /// The hook script for the vnetctl binary at `binary`: it does nothing when that binary is
    /// gone, and always exits 0.
    public static func script(binary: String) -> String {
        """
        #!/bin/sh
        # libvirt network hook installed by vnetctl: applies the port forwards of vnetctl's nat
        # networks when libvirt starts or stops them. It never fails a network start.
        vnetctl='\(binary.replacingOccurrences(of: "'", with: "'\\''"))'
        [ -x "$vnetctl" ] || exit 0
        "$vnetctl" forwards hook "$@" || true
        exit 0

        """
    }

    /// The path of the running vnetctl binary.
    public static var currentBinary: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Writes the hook script for `binary` unless the same one is in place; true when it wrote it.
    @discardableResult
    public static func install(binary: String = currentBinary, at path: String = installPath) throws(VNetError) -> Bool {
        let text = script(binary: binary)
        let manager = FileManager.default
        if manager.contents(atPath: path) == Data(text.utf8), manager.isExecutableFile(atPath: path) { return false }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".vnetctl-new"
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
            guard rename(temporary, path) == 0 else { throw VNetError.failure(String(cString: strerror(errno))) }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw .failure("cannot install the libvirt network hook \(path): \(VNetError.from(error).message); run as root")
        }
        return true
    }

    /// Installs the hook for a command that has just stored forwards or an overlay's gateway on a
    /// connection whose host is this machine (``NetworkForwards/isLocal(_:isThisMachine:)``, with the
    /// caller's fact `isThisMachine`), and says what the user must know: nil when it was in place or
    /// the host is not this machine, ``reloadNote`` when it was written, and why it could not be otherwise.
    public static func installNote(for connection: Connection, isThisMachine: Bool) -> String? {
        guard NetworkForwards.isLocal(connection, isThisMachine: isThisMachine) else { return nil }
        do {
            return try install() ? reloadNote : nil
        } catch {
            return "\(error.message); until it is installed, forwards are in place only after vnetctl starts the network"
        }
    }

    /// What a user must do once after the hook was installed while libvirtd runs.
    public static let reloadNote =
        "installed the libvirt network hook \(installPath); libvirtd notices a new hook only when it starts or "
        + "reloads, so reload it once (kill -HUP $(pidof libvirtd), or systemctl reload libvirtd) for forwards to "
        + "follow virsh net-start and autostart"

    /// Handles one hook call: `started` plugs an overlay gateway's VXLAN link into the network's new
    /// bridge and puts the network's forwards in place from the XML on stdin,
    /// `stopped` removes its rules, every other operation is left alone. Returns a problem to log;
    /// the caller exits 0 whatever happens.
    public static func handle(arguments: [String], input: Data, iptables: IPTables = IPTables()) -> String? {
        guard arguments.count >= 2 else { return "expected NETWORK OPERATION [SUBOPERATION EXTRA], got \(arguments)" }
        let (network, operation) = (arguments[0], arguments[1])
        do throws(VNetError) {
            switch operation {
            case "started":
                try OverlayHook.plugPorts(fromHookData: input, network: network)
                guard let rules = try rules(fromHookData: input, network: network) else { return nil }
                try rules.apply(with: iptables)
            case "stopped":
                try ForwardRules.remove(network: network, with: iptables)
            default:
                return nil
            }
            return nil
        } catch {
            return "network \(network) \(operation): \(error.message)"
        }
    }

    /// The rules of the `<network>` inside libvirt's `<hookData>` (or a bare `<network>`).
    static func rules(fromHookData input: Data, network: String) throws(VNetError) -> ForwardRules? {
        do {
            let data = try XMLDocument(string: String(decoding: input, as: UTF8.self), source: "hook data of network \(network)")
            guard let element = try data.firstElement("/hookData/network | /network") else { return nil }
            return try ForwardRules(document: try XMLDocument(string: element.serialized, source: "network \(network)"))
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Writes `message` to syslog (daemon facility) and to stderr, which libvirt logs.
    public static func log(_ message: String) {
        StandardStreams.writeError("vnetctl hook: \(message)\n")
        "vnetctl hook: \(message)".withCString { text in
            withVaList([text]) { vsyslog(LOG_DAEMON | LOG_WARNING, "%s", $0) }
        }
    }
}
