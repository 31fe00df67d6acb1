/// What a user asks for when defining a VM: the options of `vnetctl define vm`.
public struct VMSpec: Sendable, Equatable {
    /// One NIC: where its back half goes on the host, its model, and optionally its MAC and
    /// (on a libvirt network with DHCP) its reserved address.
    public struct NIC: Sendable, Equatable {
        /// Where the NIC meets the host.
        public enum Attachment: Sendable, Equatable {
            /// A libvirt network: a tap in the network's bridge (`<interface type='network'>`).
            case network(String)
            /// A tap in an existing host bridge, with no libvirt network (`<interface type='bridge'>`).
            case bridge(String)
            /// A macvtap on a host interface (`<interface type='direct'>`).
            case direct(device: String, mode: DirectMode)
            /// QEMU's own user-mode stack (SLIRP); `subnet` is the IPv4 net it hands out, QEMU's
            /// 10.0.2.0/24 when nil.
            case user(subnet: IPv4CIDR?)

            /// libvirt's interface type: network, bridge, direct or user.
            public var type: String {
                switch self {
                case .network: "network"
                case .bridge: "bridge"
                case .direct: "direct"
                case .user: "user"
                }
            }

            /// The network, bridge, device or user-mode net, in words: `network lab`, `bridge br0`,
            /// `direct eth0 mode vepa`, `user`, `user 10.0.3.0/24`.
            public var summary: String {
                switch self {
                case .network(let name): "network \(name)"
                case .bridge(let bridge): "bridge \(bridge)"
                case .direct(let device, let mode): "direct \(device) mode \(mode.rawValue)"
                case .user(let subnet): "user" + (subnet.map { " \($0)" } ?? "")
                }
            }
        }

        /// A macvtap's mode (`<source mode=…>`).
        public enum DirectMode: String, Sendable, Equatable, CaseIterable {
            case bridge, vepa, `private`, passthrough
        }

        public var attachment: Attachment
        /// QEMU's NIC model (`<model type=…>`): virtio, e1000e, rtl8139, …
        public var model: String
        /// Reserved for the NIC's MAC in the network's DHCP (and DNS), live and in the saved config;
        /// only on a libvirt network.
        public var ip: IPv4Address?
        /// nil: allocated, unique on the host.
        public var mac: MACAddress?

        public static let defaultModel = "virtio"

        public init(
            _ attachment: Attachment, model: String = NIC.defaultModel, ip: IPv4Address? = nil, mac: MACAddress? = nil
        ) {
            self.attachment = attachment
            self.model = model
            self.ip = ip
            self.mac = mac
        }

        public init(network: String, ip: IPv4Address? = nil, mac: MACAddress? = nil) {
            self.init(.network(network), ip: ip, mac: mac)
        }

        /// The libvirt network the NIC plugs into; nil for the other kinds.
        public var network: String? {
            if case .network(let name) = attachment { name } else { nil }
        }

        /// Parses what `--network` takes: vnetctl's `NET[,ip=IP][,mac=MAC][,model=M]` or
        /// virt-install's `network=NET`, `bridge=BR`, `type=direct,source=DEV[,source_mode=M]`,
        /// `user`, each with `,model=…,mac=…`.
        public init(_ text: String) throws(VNetError) {
            self = try NICOptionParser.parse(text)
        }
    }

    public static let memoryRangeMiB = 16...(4 * 1024 * 1024)
    public static let vcpuRange = 1...512

    public var name: String
    public var nics: [NIC]
    /// A shipped template's name or the path of a user's own.
    public var template: String
    public var memoryMiB: Int
    public var vcpus: Int
    /// Varies the derived MACs, for a VM whose name-derived MACs must differ from an earlier one's.
    public var macSeed: String?
    /// `--set KEY=VALUE` template values (dotted keys reach nested values, e.g. disk.base).
    public var settings: [String: String]
    /// The topology file that owns the VM, recorded in its metadata so `apply --prune` finds it.
    public var topology: String?

    public init(
        name: String, nics: [NIC], template: String = "pxe", memoryMiB: Int = 256, vcpus: Int = 1,
        macSeed: String? = nil, settings: [String: String] = [:]
    ) {
        self.name = name
        self.nics = nics
        self.template = template
        self.memoryMiB = memoryMiB
        self.vcpus = vcpus
        self.macSeed = macSeed
        self.settings = settings
    }
}
