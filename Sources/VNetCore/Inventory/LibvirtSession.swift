import Libvirt

/// Opens libvirt connections the way `virsh` does, with a message that says what to do when it fails.
public enum LibvirtSession {
    /// Opens `uri`, or libvirt's default (`LIBVIRT_DEFAULT_URI`, then its built-in choice) when nil.
    public static func open(uri: String?, readOnly: Bool = false) throws(VNetError) -> Connection {
        do {
            return try Connection(uri: uri, readOnly: readOnly)
        } catch {
            let target = uri ?? "libvirt's default URI"
            throw .failure(
                "cannot connect to \(target): \(VNetError.from(error).message); is libvirtd running? "
                    + "(scripts/setup-host.sh starts it)")
        }
    }
}
