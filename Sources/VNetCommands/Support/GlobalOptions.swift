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

    /// Opens the connection the options name.
    func connection(readOnly: Bool = false) throws -> Connection {
        try LibvirtSession.open(uri: connect, readOnly: readOnly)
    }
}
