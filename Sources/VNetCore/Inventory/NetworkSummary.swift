import Libvirt

/// What `vnetctl list` and scripts need to know about one libvirt network, from its current config.
///
/// Works the same for networks vnetctl defined and networks made with `virsh`: the model is
/// read from `<forward>`, not from vnetctl's metadata.
public struct NetworkSummary: Sendable, Codable, Equatable {
    public var name: String
    public var uuid: String
    public var active: Bool
    public var persistent: Bool
    public var autostart: Bool
    /// vnetctl's model name, or libvirt's forward mode (private, vepa, passthrough, hostdev)
    /// where it is none of vnetctl's five.
    public var model: String
    /// libvirt's `<forward mode>`; nil for an isolated network.
    public var forwardMode: String?
    public var bridge: String?
    /// The uplinks: `<forward dev>` and every `<forward><interface dev>`, each once.
    public var uplinks: [String]
    /// Host addresses with their prefix, as `ADDRESS/PREFIX` (IPv4 and IPv6).
    public var addresses: [String]
    /// True when vnetctl's metadata is present, i.e. vnetctl defined the network.
    public var managed: Bool

    public init(_ entry: Inventory.NetworkEntry) {
        let config = entry.current
        name = entry.name
        uuid = config.uuid ?? ""
        active = entry.active
        persistent = entry.persistent
        autostart = entry.autostart
        model = config.modelName
        forwardMode = config.forward?.mode
        bridge = config.bridge?.name
        var uplinks: [String] = []
        for dev in [config.forward?.dev].compactMap({ $0 }) + (config.forward?.interfaces ?? []) where !uplinks.contains(dev) {
            uplinks.append(dev)
        }
        self.uplinks = uplinks
        addresses = config.ips.map(\.cidrText)
        managed = config.metadata != nil
    }
}
