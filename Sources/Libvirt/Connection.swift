import CLibvirt
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An open connection to a libvirt driver, such as `qemu:///system` or `test:///default`.
///
/// `@unchecked Sendable` because libvirt connections are safe to use from many threads at once.
/// The connection closes when the last reference goes, and every `Network`, `Domain` and event
/// stream made from it holds one.
public final class Connection: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Opens a connection; `nil` picks libvirt's default (`LIBVIRT_DEFAULT_URI`, then its own choice).
    public init(uri: String? = nil, readOnly: Bool = false) throws(LibvirtError) {
        try LibvirtRuntime.started.get()
        pointer = readOnly
            ? try check(virConnectOpenReadOnly(uri), "virConnectOpenReadOnly")
            : try check(virConnectOpen(uri), "virConnectOpen")
    }

    deinit {
        virConnectClose(pointer)
    }

    /// The canonical URI of the driver this connection reached.
    public var uri: String {
        get throws(LibvirtError) { try takeString(virConnectGetURI(pointer), "virConnectGetURI") }
    }

    /// The host name of the machine the driver runs on.
    public var hostname: String {
        get throws(LibvirtError) { try takeString(virConnectGetHostname(pointer), "virConnectGetHostname") }
    }

    /// The version of the libvirt library in this process.
    public static func libraryVersion() throws(LibvirtError) -> Version {
        var version: UInt = 0
        try check(virGetVersion(&version, nil, nil), "virGetVersion")
        return Version(encoded: version)
    }

    /// The version of libvirt on the other end: the daemon's for remote URIs, this library's otherwise.
    public func daemonVersion() throws(LibvirtError) -> Version {
        var version: UInt = 0
        try check(virConnectGetLibVersion(pointer, &version), "virConnectGetLibVersion")
        return Version(encoded: version)
    }

    /// The hypervisor's version, or `nil` when the driver cannot tell.
    public func hypervisorVersion() throws(LibvirtError) -> Version? {
        var version: UInt = 0
        try check(virConnectGetVersion(pointer, &version), "virConnectGetVersion")
        return version == 0 ? nil : Version(encoded: version)
    }
}
