import ArgumentParser

/// `vnetctl forwards …`: the port forwards of nat networks, and the libvirt hook that applies them.
struct ForwardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forwards",
        abstract: "List a nat network's port forwards, or install the libvirt hook that applies them.",
        subcommands: [ForwardsListCommand.self, ForwardsInstallHookCommand.self, ForwardsHookCommand.self],
        defaultSubcommand: ForwardsListCommand.self)
}
