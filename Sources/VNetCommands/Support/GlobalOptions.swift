import ArgumentParser
import Libvirt
import VNetCore

/// Options every command takes: where libvirt is, and whether to print JSON.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: [.customShort("c"), .long],
        help: "libvirt URI (default: LIBVIRT_DEFAULT_URI, else libvirt's default).")
    var connect: String?

    @Flag(help: "Print results, and errors, as JSON on stdout.")
    var json = false

    @Option(
        name: .customLong("lock-timeout"),
        help: "Seconds to wait for the host lock another vnetctl holds before failing (default 30).",
        transform: { text in
            guard let seconds = Double(text), seconds >= 0, seconds <= 86_400 else {
                throw ValidationError("--lock-timeout: '\(text)' is not a number of seconds from 0 to 86400")
            }
            return seconds
        })
    var lockTimeout: Double?

    /// Sets the process's wait for the host lock: every command parses its options before it runs.
    func validate() throws {
        if let lockTimeout { HostLock.waitLimit.withLock { $0 = .milliseconds(Int64(lockTimeout * 1000)) } }
    }

    /// Opens the connection the options name.
    func connection(readOnly: Bool = false) throws -> Connection {
        try LibvirtSession.open(uri: connect, readOnly: readOnly)
    }
}
