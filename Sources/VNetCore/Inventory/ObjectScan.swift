import Libvirt

/// Reads every network or domain on a connection, skipping those that vanish while being read.
///
/// A list call returns a snapshot; another process (virsh, a second vnetctl) may undefine or stop
/// an object before its XML is fetched. That object is gone, not an error of the caller's.
public enum ObjectScan {
    /// `read` applied to every network; networks that vanish mid-read are left out.
    public static func networks<T>(on connection: Connection, _ read: (Network) throws -> T) throws -> [T] {
        try connection.networks().compactMap { network in try skippingVanished { try read(network) } }
    }

    /// `read` applied to every domain; domains that vanish mid-read are left out.
    public static func domains<T>(on connection: Connection, _ read: (Domain) throws -> T) throws -> [T] {
        try connection.domains().compactMap { domain in try skippingVanished { try read(domain) } }
    }

    private static func skippingVanished<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as LibvirtError where error.code == .noNetwork || error.code == .noDomain {
            return nil
        }
    }
}
