import Foundation

/// A TCP service in a namespace: busybox `nc -ll -p PORT -e /bin/echo TOKEN` answers every
/// connection with one line, `TOKEN`. Stopped by `stop()` or on deinit.
public final class TokenService {
    public let token: String
    private let process: Process

    /// Starts the service in namespace `namespace` (an `ip netns` name) on `port`.
    public init(namespace: String, port: Int) throws {
        token = "vnt-token-\(NetObjectNames.id())"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespace, "busybox", "nc", "-ll", "-p", "\(port)", "-e", "/bin/echo", token]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Listening is ready once the socket shows in the namespace; ss reads it from the kernel.
        for _ in 0..<100 {
            let listening = try Command.run(["ip", "netns", "exec", namespace, "ss", "-Htln", "sport = :\(port)"])
            if !listening.stdout.isEmpty { return }
            usleep(20_000)
        }
        stop()
        throw HarnessError("busybox nc did not listen on port \(port) in \(namespace)")
    }

    public func stop() {
        // busybox nc -ll does not end on SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// Connects to a TCP port with busybox nc and returns the first line the service sent, or nil
/// when the connection was refused, rejected or timed out (2 s).
public enum TokenClient {
    /// From the namespace `namespace`, or from the host itself when nil.
    public static func fetch(from namespace: String?, _ address: String, _ port: Int) -> String? {
        let client = ["busybox", "nc", "-w", "2", address, "\(port)"]
        let arguments = namespace.map { ["ip", "netns", "exec", $0] + client } ?? client
        guard let result = try? Command.run(arguments) else { return nil }
        let line = result.stdout.split(separator: "\n").first.map(String.init)
        return line?.isEmpty == false ? line : nil
    }
}

/// vnetctl's forward chains as the kernel holds them, read and cleaned up without vnetctl.
public enum ForwardChains {
    /// The chains vnetctl makes, as `(table, chain)`.
    public static let chains = [("nat", "VNETCTL_PRE"), ("nat", "VNETCTL_OUT"), ("nat", "VNETCTL_POST"), ("filter", "VNETCTL_FWD")]

    /// Every line of `iptables-save` that carries the comment of network `network`.
    public static func lines(of network: String) throws -> [String] {
        try Command.output(["iptables-save"]).split(separator: "\n").map(String.init)
            .filter { $0.contains("\"vnetctl:\(network)\"") || $0.hasSuffix("vnetctl:\(network)") }
    }

    /// Deletes the rules of `network` that a failed test left behind.
    public static func removeLeftovers(of network: String) {
        for (table, chain) in chains {
            guard let listing = try? Command.output(["iptables", "-w", "-t", table, "-S", chain]) else { continue }
            let rules = listing.split(separator: "\n").filter { $0.hasPrefix("-A ") }
            for (index, rule) in rules.enumerated().reversed() where rule.contains("\"vnetctl:\(network)\"") {
                _ = try? Command.run(["iptables", "-w", "-t", table, "-D", chain, "\(index + 1)"])
            }
        }
    }

    /// The first rule of built-in chain `chain` in `table`, as `iptables -S` prints it.
    public static func firstRule(_ table: String, _ chain: String) throws -> String? {
        try Command.output(["iptables", "-w", "-t", table, "-S", chain]).split(separator: "\n").map(String.init)
            .first { $0.hasPrefix("-A ") }
    }
}
