import Foundation
import HostNet

/// Has the running NetworkManager or systemd-networkd load the configuration files of a host bridge
/// that vnetctl just wrote, so that what runs and what is saved agree.
///
/// NetworkManager is asked whether it runs (`nmcli -t -f RUNNING general`), then loads the files
/// (`nmcli connection load FILE…`); systemd-networkd runs when its process does (read from /proc,
/// so no systemd is needed), and then `networkctl reload` reads them. A service that does not run
/// is left alone: it reads the files when it starts. The other persistence targets have no service.
public enum NetworkServiceReload {
    /// What happened, in one sentence for the output; nil for a target without a service.
    /// `files` are the paths as written (under the persistence root).
    public static func afterWriting(_ files: [String], for persistence: String) -> String? {
        let list = files.joined(separator: " ")
        switch HostBridgePersistence(rawValue: persistence) {
        case .nm?:
            guard let nmcli = executable("nmcli") else {
                return "nmcli is not installed, so NetworkManager was not asked to load \(list); it reads them when it starts"
            }
            let state = run(nmcli, ["-t", "-f", "RUNNING", "general"])
            guard state?.status == 0, state?.output.trimmingWhitespaceAndNewlines() == "running" else {
                return "NetworkManager is not running: \(list) take effect when it starts"
            }
            return outcome(of: run(nmcli, ["connection", "load"] + files), "NetworkManager", "nmcli connection load \(list)")
        case .networkd?:
            guard HostBridgePersistence.processRuns("systemd-network") else {
                return "systemd-networkd is not running: \(list) take effect when it starts"
            }
            guard let networkctl = executable("networkctl") else {
                return "networkctl is not installed, so systemd-networkd was not asked to reload; it reads \(list) when it starts"
            }
            return outcome(of: run(networkctl, ["reload"]), "systemd-networkd", "networkctl reload")
        default:
            return nil
        }
    }

    private static func outcome(of result: (status: Int32, output: String, error: String)?, _ service: String, _ command: String) -> String {
        guard let result else { return "\(service) runs, but '\(command)' could not be run; run it yourself" }
        guard result.status == 0 else {
            let reason = result.error.trimmingWhitespaceAndNewlines()
            return "\(service) runs, but '\(command)' failed (\(reason.isEmpty ? "exit \(result.status)" : reason)); run it again yourself"
        }
        return "\(service) loaded the files ('\(command)')"
    }

    /// The first `name` on `PATH`, then in /usr/sbin, /usr/bin, /sbin, /bin.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `path ARGUMENTS` to its end; nil when it cannot be started.
    private static func run(_ path: String, _ arguments: [String]) -> (status: Int32, output: String, error: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
