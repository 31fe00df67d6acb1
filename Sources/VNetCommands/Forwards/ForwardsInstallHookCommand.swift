import ArgumentParser
import Foundation
import Libvirt
import VNetCore

/// `vnetctl forwards install-hook`: writes the libvirt network hook for this vnetctl binary.
struct ForwardsInstallHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hook",
        abstract: "Install the libvirt network hook that applies forwards when libvirt starts a network.",
        discussion: """
            Writes \(ForwardHook.installPath), which runs this vnetctl binary; a second run changes \
            nothing. libvirtd notices a new hook only when it starts or reloads (SIGHUP): after the \
            first install, reload it once.
            """)

    @OptionGroup var global: GlobalOptions

    /// What `install-hook` reports.
    struct Report: Encodable {
        var path: String
        var binary: String
        var installed: Bool
    }

    func run() async throws {
        let binary = ForwardHook.currentBinary
        let installed = try ForwardHook.install(binary: binary)
        Output.emit(Report(path: ForwardHook.installPath, binary: binary, installed: installed), json: global.json) {
            installed ? ForwardHook.reloadNote : "the libvirt network hook \(ForwardHook.installPath) is in place"
        }
    }
}

/// Installs the hook when a command has just stored forwards, and tells the user about the reload.
enum ForwardsHookNote {
    static func install(on connection: Connection) {
        guard NetworkForwards.isLocal(connection) else { return }
        let note: String
        do {
            guard try ForwardHook.install() else { return }
            note = ForwardHook.reloadNote
        } catch {
            note = "\(error.message); until it is installed, forwards are in place only after vnetctl starts the network"
        }
        FileHandle.standardError.write(Data("vnetctl: note: \(note)\n".utf8))
    }
}
