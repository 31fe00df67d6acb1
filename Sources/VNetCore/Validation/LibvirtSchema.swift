/// The kinds of libvirt XML document vnetctl validates, each with its RelaxNG schema.
public enum LibvirtSchema: String, Sendable, Codable, CaseIterable {
    case network, domain, networkport, storagepool, storagevol, interface, nwfilter
    case nwfilterbinding, secret, nodedev, domainsnapshot, domaincheckpoint, domainbackup
    case capability, domaincaps

    /// The schema for a document's root element, as `virt-xml-validate` picks it.
    public init?(rootElement: String) {
        switch rootElement {
        case "network": self = .network
        case "domain": self = .domain
        case "networkport": self = .networkport
        case "pool": self = .storagepool
        case "volume": self = .storagevol
        case "interface": self = .interface
        case "filter": self = .nwfilter
        case "filterbinding": self = .nwfilterbinding
        case "secret": self = .secret
        case "device": self = .nodedev
        case "domainsnapshot": self = .domainsnapshot
        case "domaincheckpoint": self = .domaincheckpoint
        case "domainbackup": self = .domainbackup
        case "capabilities": self = .capability
        case "domainCapabilities": self = .domaincaps
        default: return nil
        }
    }
}
