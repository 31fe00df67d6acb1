import CLibvirt
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// One network interface of the host a connection reaches, as libvirt's interface driver reports it.
public struct HostInterface: Sendable, Equatable {
    public var name: String
    /// The Ethernet address, lowercase; nil for interfaces without one.
    public var mac: String?
}

extension Connection {
    /// The interfaces of the connection's host, active and inactive: on a remote URI, that
    /// host's, not this machine's.
    public func hostInterfaces() throws(LibvirtError) -> [HostInterface] {
        var interfaces: UnsafeMutablePointer<virInterfacePtr?>?
        let count = try check(virConnectListAllInterfaces(pointer, &interfaces, 0), "virConnectListAllInterfaces")
        defer {
            for index in 0..<Int(count) {
                virInterfaceFree(interfaces?[index])
            }
            free(interfaces)
        }
        return (0..<Int(count)).map { index in
            let interface = interfaces![index]!
            let mac = copyString(virInterfaceGetMACString(interface))?.lowercased()
            return HostInterface(name: copyString(virInterfaceGetName(interface)) ?? "", mac: mac?.isEmpty == true ? nil : mac)
        }
    }

    /// The host's capabilities XML: its UUID, CPU, and what each hypervisor can run.
    public func capabilitiesXML() throws(LibvirtError) -> String {
        try takeString(virConnectGetCapabilities(pointer), "virConnectGetCapabilities")
    }
}
