import Foundation
import Libvirt

/// Opens libvirt connections the way `virsh` does, with a message that says what to do when it fails.
public enum LibvirtSession {
    /// libvirt's connection drivers, the part of a URI's scheme before any `+`, sorted. Arrays, not
    /// sets: a `Set<String>` costs every connecting command a runtime conformance lookup.
    static let drivers = [
        "bhyve", "ch", "esx", "gsx", "hyperv", "interface", "libxl", "lxc", "network", "nodedev", "nwfilter", "openvz",
        "parallels", "qemu", "remote", "secret", "storage", "test", "vbox", "vmwarefusion", "vmwareplayer", "vmwarews",
        "vpx", "vz", "xen", "xenapi",
    ]
    /// The transports of libvirt's remote driver, the part of a scheme after `+`.
    static let transports = ["ext", "libssh", "libssh2", "ssh", "tcp", "tls", "unix"]

    /// Opens `uri`, or libvirt's default (`LIBVIRT_DEFAULT_URI`, then its built-in choice) when nil.
    ///
    /// A URI that does not parse, or whose scheme names no libvirt driver or transport, is invalid
    /// input (libvirt itself would call it an internal error, or try it as a remote TLS host); a
    /// word without `:` is left to libvirt as a URI alias.
    public static func open(uri: String?, readOnly: Bool = false) throws(VNetError) -> Connection {
        if let uri { try check(uri) }
        do {
            return try Connection(uri: uri, readOnly: readOnly)
        } catch {
            let message = VNetError.from(error).message
            if let uri, !uri.contains(":"), message.contains("no connection driver available") {
                throw .invalidInput(
                    "-c '\(uri)' is no libvirt URI and no alias of one (uri_aliases in libvirt.conf); " + example)
            }
            throw .failure(
                "cannot connect to \(uri ?? "libvirt's default URI"): \(message); check that libvirtd runs "
                    + "(its service, or 'libvirtd -d') and that this user may connect to it")
        }
    }

    private static let example = "give DRIVER[+TRANSPORT]://[HOST]/PATH, such as qemu:///system, qemu+ssh://HOST/system or test:///default"

    /// Refuses a URI that does not parse, or whose scheme names no driver or transport libvirt has
    /// (libvirt's schemes are lower case and compared as written).
    static func check(_ uri: String) throws(VNetError) {
        guard uri.contains(":") else { return }
        let quoted = "-c '\(uri)'"
        guard let components = URLComponents(string: uri), let scheme = components.scheme, uri.hasPrefix(scheme + ":")
        else {
            throw .invalidInput("\(quoted) is not a libvirt URI; \(example)")
        }
        let parts = scheme.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard drivers.contains(parts[0]) else {
            throw .invalidInput(
                "\(quoted): '\(parts[0])' is no libvirt driver (\(drivers.joined(separator: ", "))); \(example)")
        }
        if parts.count == 2, !transports.contains(parts[1]) {
            throw .invalidInput(
                "\(quoted): '\(parts[1])' is no libvirt transport (\(transports.joined(separator: ", "))); \(example)")
        }
    }
}
