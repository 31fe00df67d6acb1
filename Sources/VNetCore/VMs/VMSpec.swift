/// What a user asks for when defining a VM: the options of `vnetctl define vm`.
public struct VMSpec: Sendable, Equatable {
    /// One NIC: the libvirt network it plugs into, and optionally its reserved address and MAC.
    public struct NIC: Sendable, Equatable {
        public var network: String
        /// Reserved for the NIC's MAC in the network's DHCP (and DNS), live and in the saved config.
        public var ip: IPv4Address?
        /// nil: allocated, unique on the host.
        public var mac: MACAddress?

        public init(network: String, ip: IPv4Address? = nil, mac: MACAddress? = nil) {
            self.network = network
            self.ip = ip
            self.mac = mac
        }

        /// Parses `NET[,ip=IP][,mac=MAC]`, the form `--network` takes.
        public init(_ text: String) throws(VNetError) {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let network = parts.first, !network.isEmpty, !network.contains("=") else {
                throw .invalidInput("--network '\(text)' names no network; use NET[,ip=IP][,mac=MAC]")
            }
            self.network = network
            for part in parts.dropFirst() {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                do {
                    switch (pair.first, pair.count) {
                    case ("ip", 2) where ip == nil: ip = try IPv4Address(pair[1])
                    case ("mac", 2) where mac == nil: mac = try MACAddress(pair[1])
                    default:
                        throw VNetError.invalidInput(
                            "--network \(text): '\(part)' is not ip=IP or mac=MAC (each at most once); "
                                + "use NET[,ip=IP][,mac=MAC]")
                    }
                } catch let error as AddressError {
                    throw .invalidInput("--network \(text): \(error.message)")
                } catch {
                    throw VNetError.from(error)
                }
            }
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
