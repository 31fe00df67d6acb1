import HostNet
import Libvirt

/// What `apply` will do: one action per object for the report, and the steps that carry them out.
public struct TopologyPlan: Sendable {
    public var actions: [TopologyAction]
    var networkSteps: [NetworkStep]
    var vmSteps: [VMStep]
    /// Host bridges the file's bridged networks need (`create_bridge: true`) that do not exist yet.
    var hostBridges: [PreparedHostBridge] = []
    /// The links of this host's parts of overlay networks, with the steps they lacked when planned.
    var overlays: [PlannedOverlay] = []
    /// Whether the file's networks need the libvirt network hook: they have forwards, or this host
    /// is an overlay's gateway (the hook plugs its VXLAN link into the bridge at each start).
    public var needsHook = false
    /// What applying the plan leaves the user to know (the hook installed, and libvirtd to reload).
    public var notes: [String] = []
    /// `--prune`: the links of the overlay networks it removes, deleted after the networks.
    var overlayRemovals: [OverlayRemoval] = []
    /// The host facts the plan could not be checked against: on a remote host, its addresses and routes.
    public var unchecked: [String] = []

    /// True when some network needs a restart, which `apply` makes only with `allowRestart`.
    public var needsRestart: Bool { actions.contains { $0.outcome == .restartNeeded } }
    public var changedCount: Int { actions.filter(\.changed).count }
    /// How many steps `TopologyApplier.apply` takes, one per object it changes.
    public var stepCount: Int {
        hostBridges.count + overlays.filter { !$0.steps.isEmpty }.count + networkSteps.count + vmSteps.count
            + overlayRemovals.count
    }
}

/// A change to one network.
enum NetworkStep: Sendable {
    case create(NetworkDefinition, autostart: Bool, start: Bool)
    case sync(NetworkSync)
    /// `--prune`: a network of this topology that the file no longer names.
    case remove(Network)
    /// `--allow-restart`: stop, redefine and start the network, then plug the running guests'
    /// tap devices into its (new) bridge.
    case restart(Network, NetworkDefinition, autostart: Bool, reservations: [NetworkSync.Update], taps: [String])
}

/// The live-applicable changes to an existing network: updates to the saved and the running
/// config (each side its own calls, since they may have drifted apart), autostart and start.
struct NetworkSync: Sendable {
    struct Update: Sendable {
        var command: NetworkUpdateCommand
        var section: NetworkUpdateSection
        var xml: String
        var flags: NetworkUpdateFlags
    }

    var network: Network
    var updates: [Update]
    var autostart: Bool?
    var start: Bool
    /// The network's new port forwards, when they change.
    var forwards: [PortForward]? = nil
    /// Running guests' taps to plug into the network's bridge, after any start.
    var taps: [String] = []
}

/// A change to one VM.
enum VMStep: Sendable {
    case create(VMSpec, start: Bool)
    case start(Domain)
    /// `--prune`: a VM of this topology that the file no longer names.
    case remove(Domain)
    /// `--allow-restart`: a VM whose settings differ, removed (with its reservations) and created anew.
    case recreate(Domain, VMSpec, start: Bool)
}

/// The links that a pruned overlay network leaves on this host, and the steps that delete them.
struct OverlayRemoval: Sendable {
    var network: String
    var steps: [HostOverlayStep]
}

/// One overlay network's links on this host and what they lacked when the plan was made.
struct PlannedOverlay: Sendable {
    var network: String
    var links: HostOverlayLinks
    var steps: [HostOverlayStep]
}
