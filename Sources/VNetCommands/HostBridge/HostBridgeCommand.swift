import ArgumentParser

/// `vnetctl host-bridge create|delete|list`: the host bridges that bridged networks plug into.
struct HostBridgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host-bridge",
        abstract: "Create, delete and list host bridges for the bridged model (live and persistent).",
        discussion: """
            A bridged network needs a host bridge holding the uplink NIC, with the host's addresses and \
            routes on the bridge. libvirt on Debian cannot make one; these commands do, through netlink.
            """,
        subcommands: [HostBridgeCreateCommand.self, HostBridgeDeleteCommand.self, HostBridgeListCommand.self])
}

/// `on` or `off`, as `--stp` takes it.
enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on, off
}
