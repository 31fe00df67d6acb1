import CLibvirt
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A libvirt virtual network, defined or running.
///
/// `@unchecked Sendable` because libvirt network objects are safe to use from many threads at once.
/// It keeps its `Connection` open for as long as it lives.
public final class Network: @unchecked Sendable {
    let pointer: OpaquePointer
    let connection: Connection

    /// The network's name, which libvirt never changes for an existing network.
    public let name: String

    /// Takes ownership of one reference to a libvirt network.
    init(_ pointer: OpaquePointer, connection: Connection) {
        self.pointer = pointer
        self.connection = connection
        name = String(cString: virNetworkGetName(pointer))
    }

    deinit {
        virNetworkFree(pointer)
    }

    public var uuid: UUID {
        get throws(LibvirtError) { try readUUID("virNetworkGetUUID") { virNetworkGetUUID(pointer, $0) } }
    }

    /// Whether the network is running.
    public var isActive: Bool {
        get throws(LibvirtError) { try check(virNetworkIsActive(pointer), "virNetworkIsActive") == 1 }
    }

    /// Whether the network has a saved definition, rather than vanishing when stopped.
    public var isPersistent: Bool {
        get throws(LibvirtError) { try check(virNetworkIsPersistent(pointer), "virNetworkIsPersistent") == 1 }
    }

    /// Whether the network starts when libvirt does.
    public var autostart: Bool {
        get throws(LibvirtError) {
            var autostart: Int32 = 0
            try check(virNetworkGetAutostart(pointer, &autostart), "virNetworkGetAutostart")
            return autostart != 0
        }
    }

    public func setAutostart(_ on: Bool) throws(LibvirtError) {
        try check(virNetworkSetAutostart(pointer, on ? 1 : 0), "virNetworkSetAutostart")
    }

    /// The name of the host bridge the network's guests are plugged into.
    public var bridgeName: String {
        get throws(LibvirtError) { try takeString(virNetworkGetBridgeName(pointer), "virNetworkGetBridgeName") }
    }

    /// The network's XML: the running state, or with `inactive` the definition used at next start.
    public func xml(inactive: Bool = false) throws(LibvirtError) -> String {
        let flags = inactive ? VIR_NETWORK_XML_INACTIVE.rawValue : 0
        RoundTrips.recordXML("network \(name) (\(inactive ? "saved" : "live"))")
        return try takeString(virNetworkGetXMLDesc(pointer, flags), "virNetworkGetXMLDesc")
    }

    /// Starts a defined network.
    public func start() throws(LibvirtError) {
        try check(virNetworkCreate(pointer), "virNetworkCreate")
    }

    /// Stops the network; a transient one disappears.
    public func stop() throws(LibvirtError) {
        try check(virNetworkDestroy(pointer), "virNetworkDestroy")
    }

    /// Removes the saved definition; a running network keeps running, as transient, until stopped.
    public func undefine() throws(LibvirtError) {
        try check(virNetworkUndefine(pointer), "virNetworkUndefine")
    }

    /// Changes one section of the network, live and/or in its definition, without a restart.
    ///
    /// - Parameters:
    ///   - xml: The element to add, delete or modify, such as `<host mac='…' ip='…'/>`.
    ///   - parentIndex: Which `<ip>` element the section belongs to; -1 picks the first that fits.
    public func update(
        _ command: NetworkUpdateCommand,
        _ section: NetworkUpdateSection,
        xml: String,
        parentIndex: Int = -1,
        flags: NetworkUpdateFlags = [.live, .config]
    ) throws(LibvirtError) {
        try check(
            virNetworkUpdate(pointer, command.cValue.rawValue, section.cValue.rawValue, Int32(parentIndex), xml, flags.rawValue),
            "virNetworkUpdate"
        )
    }

    /// The network's current DHCP leases, optionally only those of one MAC address.
    public func dhcpLeases(mac: String? = nil) throws(LibvirtError) -> [DHCPLease] {
        var leases: UnsafeMutablePointer<virNetworkDHCPLeasePtr?>?
        let count = try check(virNetworkGetDHCPLeases(pointer, mac, &leases, 0), "virNetworkGetDHCPLeases")
        defer {
            for index in 0..<Int(count) {
                virNetworkDHCPLeaseFree(leases?[index])
            }
            free(leases)
        }
        return try (0..<Int(count)).map { index throws(LibvirtError) in try DHCPLease(leases![index]!.pointee) }
    }
}

extension Connection {
    /// The networks on this connection that match every group of `flags`.
    public func networks(_ flags: NetworkListFlags = []) throws(LibvirtError) -> [Network] {
        var networks: UnsafeMutablePointer<virNetworkPtr?>?
        let count = try check(virConnectListAllNetworks(pointer, &networks, flags.rawValue), "virConnectListAllNetworks")
        defer { free(networks) }
        return (0..<Int(count)).map { Network(networks![$0]!, connection: self) }
    }

    public func network(named name: String) throws(LibvirtError) -> Network {
        Network(try check(virNetworkLookupByName(pointer, name), "virNetworkLookupByName"), connection: self)
    }

    public func network(uuid: UUID) throws(LibvirtError) -> Network {
        Network(try check(virNetworkLookupByUUIDString(pointer, uuid.uuidString), "virNetworkLookupByUUIDString"), connection: self)
    }

    /// Saves a network definition without starting it, replacing any definition of the same name and UUID.
    ///
    /// With `validate`, libvirt first checks the XML against its own network schema, on the host
    /// that keeps the network, and refuses it with `xmlInvalidSchema`; that host needs libvirt 7.7
    /// or later (``networkDefineValidates``). Without, it ignores what it does not know, and the
    /// call is the one every libvirt version has.
    public func defineNetwork(xml: String, validate: Bool = false) throws(LibvirtError) -> Network {
        guard validate else {
            return Network(try check(virNetworkDefineXML(pointer, xml), "virNetworkDefineXML"), connection: self)
        }
        let flags = UInt32(VIR_NETWORK_DEFINE_VALIDATE.rawValue)
        return Network(try check(virNetworkDefineXMLFlags(pointer, xml, flags), "virNetworkDefineXMLFlags"), connection: self)
    }

    /// The first libvirt whose network define can check the schema (`VIR_NETWORK_DEFINE_VALIDATE`).
    public static let networkDefineValidates = Version(major: 7, minor: 7, release: 0)

    /// Starts a transient network, one with no saved definition.
    public func createNetwork(xml: String) throws(LibvirtError) -> Network {
        Network(try check(virNetworkCreateXML(pointer, xml), "virNetworkCreateXML"), connection: self)
    }
}
