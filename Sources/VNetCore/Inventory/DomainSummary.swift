import Libvirt

/// What `vnetctl list vms` and scripts need to know about one libvirt domain, from its current config.
public struct DomainSummary: Sendable, Codable, Equatable {
    public var name: String
    public var uuid: String
    public var state: String
    public var persistent: Bool
    /// Every NIC, of whatever type, in the shape `show vm` uses too.
    public var nics: [DomainNIC]
    /// True when vnetctl's metadata is present, i.e. vnetctl defined the domain.
    public var managed: Bool

    public init(_ entry: Inventory.DomainEntry) {
        let config = entry.current
        name = entry.name
        uuid = config.uuid ?? ""
        state = entry.state.description
        persistent = entry.persistent
        nics = config.nics
        managed = config.metadata != nil
    }
}
