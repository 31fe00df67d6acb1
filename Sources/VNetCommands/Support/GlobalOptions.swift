import ArgumentParser
import Libvirt
import VNetCore

/// Options every command takes: where libvirt is, and whether to print JSON.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: [.customShort("c"), .long],
        help: "libvirt URI (default: LIBVIRT_DEFAULT_URI, else libvirt's default); list, macs and show take it more than once.")
    var connect: [String] = []

    @Flag(help: "Print results, and errors, as JSON on stdout.")
    var json = false

    @Option(
        name: .customLong("lock-timeout"),
        help: "Seconds to wait for the host lock another vnetctl holds before failing (default 30).",
        transform: { text in
            guard let seconds = Double(text), HostLock.Wait.secondsRange.contains(seconds) else {
                throw ValidationError("--lock-timeout: '\(text)' is not a number of seconds from 0 to 86400")
            }
            return seconds
        })
    var lockTimeout: Double?

    /// How the command waits for the host lock: `--lock-timeout`, the note worded by the command line.
    var lockWait: HostLock.Wait {
        HostLock.Wait(seconds: lockTimeout, onWait: ErrorReport.lockWait)
    }

    /// How a command that read no host facts changes a network's forward rules: its host decided
    /// from the URI, the firewall lock waited for as ``lockWait`` says.
    var firewall: NetworkForwards.Firewall { NetworkForwards.Firewall(lockWait: lockWait) }

    /// Opens the connection the options name; a command of one host refuses `-c` given twice.
    func connection(readOnly: Bool = false) throws -> Connection {
        try LibvirtSession.open(uri: try uri(), readOnly: readOnly)
    }

    /// The one URI `-c` gives, or nil for libvirt's default.
    func uri() throws(VNetError) -> String? {
        guard connect.count <= 1 else {
            throw .invalidInput("-c is given \(connect.count) times, but this command works on one host; give -c once (list, macs and show take several)")
        }
        return connect.first
    }
}
