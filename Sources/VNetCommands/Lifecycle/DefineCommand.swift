import ArgumentParser

/// `vnetctl define network|vm …`.
struct DefineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "define",
        abstract: "Define a network or VM from a template.",
        subcommands: [DefineNetworkCommand.self, DefineVMCommand.self])
}
