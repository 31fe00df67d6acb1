import Libvirt
import LibXML

/// What `vnetctl list` and scripts need to know about one libvirt network, read from its live XML.
///
/// Works the same for networks vnetctl defined and networks made with `virsh`: the model is
/// read from `<forward>`, not from vnetctl's metadata.
public struct NetworkSummary: Sendable, Codable, Equatable {
    public var name: String
    public var uuid: String
    public var active: Bool
    public var persistent: Bool
    public var autostart: Bool
    /// The model, or nil for forward modes outside vnetctl's five.
    public var model: NetworkModel?
    /// libvirt's `<forward mode>`; nil for an isolated network.
    public var forwardMode: String?
    public var bridge: String?
    /// Host addresses with their prefix, as `ADDRESS/PREFIX` (IPv4 and IPv6).
    public var addresses: [String]
    /// True when vnetctl's metadata is present, i.e. vnetctl defined the network.
    public var managed: Bool

    public init(_ network: Network) throws {
        let document = try XMLDocument(string: try network.xml(), source: "network \(network.name)")
        name = network.name
        uuid = try document.string("string(/network/uuid)") ?? ""
        active = try network.isActive
        persistent = try network.isPersistent
        autostart = try network.autostart
        forwardMode = try document.string("/network/forward/@mode")
        if forwardMode == nil, try document.firstElement("/network/forward") != nil {
            forwardMode = "nat"
        }
        model = NetworkModel(forwardMode: forwardMode)
        bridge = try document.string("/network/bridge/@name")
        addresses = try document.elements("/network/ip").compactMap(IPElement.text(of:))
        managed = try document.firstElement(VNetMetadata.networkXPath) != nil
    }
}

/// Reads a libvirt `<ip address= prefix=|netmask=>` element as `ADDRESS/PREFIX`.
enum IPElement {
    static func text(of ip: XMLElement) -> String? {
        guard let address = ip.attribute("address") else { return nil }
        if let prefix = ip.attribute("prefix") { return "\(address)/\(prefix)" }
        if let netmask = ip.attribute("netmask"), let prefix = prefixLength(ofNetmask: netmask) {
            return "\(address)/\(prefix)"
        }
        return address
    }

    static func prefixLength(ofNetmask netmask: String) -> Int? {
        let octets = netmask.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return nil }
        let bits = octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let prefix = bits.leadingNonzeroBitCount
        return bits == (prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)) ? prefix : nil
    }
}

extension UInt32 {
    fileprivate var leadingNonzeroBitCount: Int { (~self).leadingZeroBitCount }
}
