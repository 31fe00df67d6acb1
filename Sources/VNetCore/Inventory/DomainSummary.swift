import Libvirt
import LibXML

/// What `vnetctl list vms` and scripts need to know about one libvirt domain, read from its live XML.
public struct DomainSummary: Sendable, Codable, Equatable {
    /// One guest NIC: where it is plugged and with which MAC.
    public struct NIC: Sendable, Codable, Equatable {
        /// libvirt's interface type: network, bridge, direct, user, …
        public var type: String
        /// The libvirt network for `type='network'`, else nil.
        public var network: String?
        /// The host bridge (for `network` and `bridge` types once running, or given).
        public var bridge: String?
        public var mac: String?
        /// The tap device on the host while the domain runs.
        public var target: String?

        /// Every `<interface>` of a domain document, in order: the one reader of NICs in domain XML.
        static func all(in document: XMLDocument) throws -> [NIC] {
            try document.elements("/domain/devices/interface").map { interface in
                NIC(
                    type: interface.attribute("type") ?? "",
                    network: try interface.firstElement("source")?.attribute("network"),
                    bridge: try interface.firstElement("source")?.attribute("bridge"),
                    mac: try interface.firstElement("mac")?.attribute("address"),
                    target: try interface.firstElement("target")?.attribute("dev"))
            }
        }
    }

    public var name: String
    public var uuid: String
    public var state: String
    public var persistent: Bool
    public var nics: [NIC]
    /// True when vnetctl's metadata is present, i.e. vnetctl defined the domain.
    public var managed: Bool

    public init(_ domain: Domain) throws {
        try self.init(domain, document: try XMLDocument(string: try domain.xml(), source: "domain \(domain.name)"))
    }

    /// The summary from the domain's live XML, already parsed by the caller.
    init(_ domain: Domain, document: XMLDocument) throws {
        name = domain.name
        uuid = try document.string("string(/domain/uuid)") ?? ""
        state = String(describing: try domain.state)
        persistent = try domain.isPersistent
        nics = try NIC.all(in: document)
        managed = try document.firstElement(VNetMetadata.domainXPath) != nil
    }
}
