import ArgumentParser

/// `vnetctl define network|vm …`.
struct DefineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "define",
        abstract: "Define a network or VM from a template.",
        subcommands: [DefineNetworkCommand.self, DefineVMCommand.self])
}
