import ArgumentParser
import FoundationEssentials
import VNetCore

/// `vnetctl forwards hook NETWORK OPERATION …`: what libvirt's network hook runs, with the
/// network XML on stdin. It always exits 0, so it never fails a network start; problems are logged.
struct ForwardsHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook", abstract: "Run as libvirt's network hook (NETWORK OPERATION SUBOPERATION EXTRA).",
        shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough, help: "What libvirt passes: NETWORK OPERATION SUBOPERATION EXTRA.")
    var arguments: [String] = []

    func run() throws {
        let input = Data(StandardStreams.readInput())
        if let problem = ForwardHook.handle(arguments: arguments, input: input) { ForwardHook.log(problem) }
    }
}
