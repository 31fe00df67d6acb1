import ArgumentParser
import FoundationEssentials
import VNetCore

/// `vnetctl forwards install-hook`: writes the libvirt network hook for this vnetctl binary.
struct ForwardsInstallHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hook",
        abstract: "Install the libvirt network hook that applies forwards when libvirt starts a network.",
        discussion: """
            Writes \(ForwardHook.installPath), which runs this vnetctl binary; a second run changes \
            nothing. libvirtd notices a new hook only when it starts or reloads (SIGHUP): after the \
            first install, reload it once. Packaging writes it into a staging tree with --binary and --path.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The vnetctl the hook runs (default: this one).")
    var binary: String?

    @Option(help: "Where to write the hook.")
    var path: String = ForwardHook.installPath

    /// What `install-hook` reports.
    struct Report: Encodable {
        var path: String
        var binary: String
        var installed: Bool
    }

    func run() throws {
        let binary = binary ?? ForwardHook.currentBinary
        let installed = try ForwardHook.install(binary: binary, at: path)
        Output.emit(Report(path: path, binary: binary, installed: installed), json: global.json) {
            switch (installed, path == ForwardHook.installPath) {
            case (true, true): ForwardHook.reloadNote
            case (true, false): "wrote the libvirt network hook \(path) (runs \(binary))"
            case (false, _): "the libvirt network hook \(path) is in place"
            }
        }
    }
}

/// Tells the user what installing the hook, when a command has just stored forwards, means for them.
enum ForwardsHookNote {
    /// Prints each note as `vnetctl: note: …` on stderr.
    static func print(_ notes: [String]) {
        for note in notes { StandardStreams.writeError("vnetctl: note: \(note)\n") }
    }
}
