import CLibvirt
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A libvirt domain: a virtual machine, defined or running.
///
/// `@unchecked Sendable` because libvirt domain objects are safe to use from many threads at once.
/// It keeps its `Connection` open for as long as it lives.
public final class Domain: @unchecked Sendable {
    let pointer: OpaquePointer
    let connection: Connection

    /// The domain's name as it was when this object was looked up.
    public let name: String

    /// Takes ownership of one reference to a libvirt domain.
    init(_ pointer: OpaquePointer, connection: Connection) {
        self.pointer = pointer
        self.connection = connection
        name = String(cString: virDomainGetName(pointer))
    }

    deinit {
        virDomainFree(pointer)
    }

    public var uuid: UUID {
        get throws(LibvirtError) { try readUUID("virDomainGetUUID") { virDomainGetUUID(pointer, $0) } }
    }

    /// The hypervisor's ID for the running domain, or `nil` when it is not running.
    ///
    /// libvirt caches the ID in this object: it follows `start()` and `destroy()` made through
    /// it, but not changes made elsewhere. Look the domain up again for a fresh value.
    public var id: UInt32? {
        let id = virDomainGetID(pointer)
        return id == UInt32.max ? nil : id
    }

    public var state: DomainState {
        get throws(LibvirtError) {
            var state: Int32 = 0
            try check(virDomainGetState(pointer, &state, nil, 0), "virDomainGetState")
            return DomainState(rawValue: state)
        }
    }

    /// Why a paused domain is paused, in words (`VIR_DOMAIN_PAUSED_*`); nil when it is not paused.
    public var pausedReason: String? {
        get throws(LibvirtError) {
            var state: Int32 = 0
            var reason: Int32 = 0
            try check(virDomainGetState(pointer, &state, &reason, 0), "virDomainGetState")
            guard state == Int32(VIR_DOMAIN_PAUSED.rawValue) else { return nil }
            switch UInt32(reason) {
            case VIR_DOMAIN_PAUSED_USER.rawValue: return "paused by a user or program (virsh suspend)"
            case VIR_DOMAIN_PAUSED_IOERROR.rawValue: return "paused by a disk I/O error"
            case VIR_DOMAIN_PAUSED_WATCHDOG.rawValue: return "paused by its watchdog"
            case VIR_DOMAIN_PAUSED_CRASHED.rawValue: return "paused because the guest crashed"
            case VIR_DOMAIN_PAUSED_SHUTTING_DOWN.rawValue: return "paused while shutting down"
            case VIR_DOMAIN_PAUSED_STARTING_UP.rawValue: return "paused while starting up"
            case VIR_DOMAIN_PAUSED_UNKNOWN.rawValue: return "paused by QEMU (reason unknown, such as an emulation failure)"
            default: return "paused (libvirt reason \(reason))"
            }
        }
    }

    /// Whether the domain is running or paused.
    public var isActive: Bool {
        get throws(LibvirtError) { try check(virDomainIsActive(pointer), "virDomainIsActive") == 1 }
    }

    /// Whether the domain has a saved definition, rather than vanishing when stopped.
    public var isPersistent: Bool {
        get throws(LibvirtError) { try check(virDomainIsPersistent(pointer), "virDomainIsPersistent") == 1 }
    }

    /// The domain's XML: the running state, or with `inactive` the definition used at next start.
    public func xml(inactive: Bool = false) throws(LibvirtError) -> String {
        let flags = inactive ? VIR_DOMAIN_XML_INACTIVE.rawValue : 0
        RoundTrips.recordXML("domain \(name) (\(inactive ? "inactive" : "live"))")
        return try takeString(virDomainGetXMLDesc(pointer, flags), "virDomainGetXMLDesc")
    }

    /// Starts a defined domain.
    public func start() throws(LibvirtError) {
        try check(virDomainCreate(pointer), "virDomainCreate")
    }

    /// Stops the domain at once, like pulling the plug; a transient one disappears.
    public func destroy() throws(LibvirtError) {
        try check(virDomainDestroy(pointer), "virDomainDestroy")
    }

    /// Asks the guest to shut down; it may take its time, or ignore the request.
    public func shutdown() throws(LibvirtError) {
        try check(virDomainShutdown(pointer), "virDomainShutdown")
    }

    /// Removes the saved definition along with its managed save image, NVRAM file and snapshot and
    /// checkpoint metadata; a running domain keeps running, as transient, until stopped.
    ///
    /// Drivers that take no flags for undefining get a plain `virDomainUndefine`.
    public func undefine() throws(LibvirtError) {
        let flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE.rawValue | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA.rawValue
            | VIR_DOMAIN_UNDEFINE_NVRAM.rawValue | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA.rawValue
        do {
            try check(virDomainUndefineFlags(pointer, flags), "virDomainUndefineFlags")
        } catch {
            guard error.code == .noSupport || error.code == .invalidArgument else { throw error }
            try check(virDomainUndefine(pointer), "virDomainUndefine")
        }
    }

    /// The domain's network interfaces and their IP addresses, as `source` knows them.
    public func interfaceAddresses(source: InterfaceAddressSource = .lease) throws(LibvirtError) -> [DomainInterface] {
        var interfaces: UnsafeMutablePointer<virDomainInterfacePtr?>?
        let count = try check(
            virDomainInterfaceAddresses(pointer, &interfaces, source.cValue.rawValue, 0),
            "virDomainInterfaceAddresses"
        )
        defer {
            for index in 0..<Int(count) {
                virDomainInterfaceFree(interfaces?[index])
            }
            free(interfaces)
        }
        return try (0..<Int(count)).map { index throws(LibvirtError) in try DomainInterface(interfaces![index]!.pointee) }
    }
}

extension Connection {
    /// The domains on this connection that match every group of `flags`.
    public func domains(_ flags: DomainListFlags = []) throws(LibvirtError) -> [Domain] {
        var domains: UnsafeMutablePointer<virDomainPtr?>?
        let count = try check(virConnectListAllDomains(pointer, &domains, flags.rawValue), "virConnectListAllDomains")
        defer { free(domains) }
        return (0..<Int(count)).map { Domain(domains![$0]!, connection: self) }
    }

    public func domain(named name: String) throws(LibvirtError) -> Domain {
        Domain(try check(virDomainLookupByName(pointer, name), "virDomainLookupByName"), connection: self)
    }

    public func domain(uuid: UUID) throws(LibvirtError) -> Domain {
        Domain(try check(virDomainLookupByUUIDString(pointer, uuid.uuidString), "virDomainLookupByUUIDString"), connection: self)
    }

    /// Saves a domain definition without starting it, replacing any definition of the same name and UUID.
    ///
    /// With `validate`, libvirt first checks the XML against its own domain schema, on the host
    /// that will run the domain, and refuses it with `xmlInvalidSchema`; without, it ignores what
    /// it does not know.
    public func defineDomain(xml: String, validate: Bool = false) throws(LibvirtError) -> Domain {
        let flags = validate ? UInt32(VIR_DOMAIN_DEFINE_VALIDATE.rawValue) : 0
        return Domain(try check(virDomainDefineXMLFlags(pointer, xml, flags), "virDomainDefineXMLFlags"), connection: self)
    }

    /// Starts a transient domain, one with no saved definition.
    public func createDomain(xml: String) throws(LibvirtError) -> Domain {
        Domain(try check(virDomainCreateXML(pointer, xml, 0), "virDomainCreateXML"), connection: self)
    }
}
