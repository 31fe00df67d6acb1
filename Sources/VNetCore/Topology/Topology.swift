import HostNet

/// A lab described once and applied many times: networks and VMs, on one host or on several
/// (`hosts:`), as `apply -f` reads them.
public struct Topology: Sendable, Equatable {
    /// One network of the file, with where it stands in it.
    public struct NetworkEntry: Sendable, Equatable {
        public var spec: NetworkSpec
        public var autostart: Bool
        public var start: Bool
        public var line: Int
        /// `create_bridge: true`: the bridged network's host bridge is made (live, with `uplink` as
        /// its port when given) when it does not exist yet.
        public var createBridge = false
        /// The port of the bridge `createBridge` makes (the file's `uplink`).
        public var bridgeUplink: String?
        /// `model: overlay`: the hosts it spans and its VXLAN; `spec` is then the gateway's network.
        public var overlay: OverlaySpec?
        /// The links this host's part of an overlay needs, once the part is chosen for one host.
        public var overlayLinks: HostOverlayLinks?
        /// The name of the host (of `hosts`) the network is on.
        public var host = FleetHost.implicitName
    }

    /// One VM of the file, with where it stands in it.
    public struct VMEntry: Sendable, Equatable {
        public var spec: VMSpec
        public var start: Bool
        public var line: Int
        /// The name of the host (of `hosts`) the VM is on.
        public var host = FleetHost.implicitName
    }

    /// The file's path, or a name such as `<inline topology>`, for messages.
    public var source: String
    /// The topology's name (`name:` in the file, else the file's base name), recorded in the
    /// metadata of what it creates so that `apply --prune` can find what the file no longer names.
    public var name: String
    /// The hosts the file spans, in its order: `hosts:`, or the one implicit host (the command's
    /// own connection) for a file without it.
    public var hosts: [FleetHost] = [.implicit]
    public var networks: [NetworkEntry]
    public var vms: [VMEntry]
}
