/// One libvirt host of a topology file (`hosts:`): its name in the file, how to reach its
/// libvirtd, and its address on the underlay that overlay networks tunnel over.
public struct FleetHost: Sendable, Equatable, Codable {
    /// The name networks and VMs give as `host:`.
    public var name: String
    /// The host's libvirt URI; nil for the implicit host of a file without `hosts:`, which is the
    /// connection the command was given (`-c`, else `LIBVIRT_DEFAULT_URI`, else libvirt's default).
    public var uri: String?
    /// The host's own IP address on the network between the hosts: `address:` in the file, else
    /// the host part of `uri` when that is an IPv4 literal, else nil.
    public var address: IPv4Address?
    /// The line of the host in the file (0 for the implicit host).
    public var line: Int

    public init(name: String, uri: String?, address: IPv4Address? = nil, line: Int = 0) {
        self.name = name
        self.uri = uri
        self.address = address ?? uri.flatMap(Self.literalAddress(in:))
        self.line = line
    }

    /// The name of the one host of a file without `hosts:`.
    public static let implicitName = "default"

    /// The implicit host of a file without `hosts:`: the command's own connection.
    public static let implicit = FleetHost(name: implicitName, uri: nil)

    /// True for the implicit host of a file without `hosts:`.
    public var isImplicit: Bool { uri == nil }

    /// The URI's host when it is an IPv4 literal (`qemu+tcp://10.1.2.3:16509/system` → 10.1.2.3).
    public static func literalAddress(in uri: String) -> IPv4Address? {
        guard let scheme = uri.range(of: "://") else { return nil }
        var authority = uri[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host = authority.prefix { $0 != ":" }
        return try? IPv4Address(String(host))
    }
}
