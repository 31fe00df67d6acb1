/// Checks a nat network's forwards against its own plan and every other forward on the host, and
/// resolves guests given by VM name to the address their DHCP reservation holds.
///
/// Pure: it sees only the values it is given. Every refusal is invalid input naming the forward.
public enum PortForwardPlanner {
    /// A forward that already exists on another network (or earlier in the same file).
    public struct Existing: Sendable, Equatable {
        public var network: String
        public var forward: PortForward

        public init(network: String, forward: PortForward) {
            self.network = network
            self.forward = forward
        }
    }

    /// Resolves and checks `forwards` of network `name`.
    ///
    /// - `reservations`: the network's DHCP reservations; a VM name matches a reservation's host
    ///   name (the VM's name as vnetctl writes it) or `vmAddresses`, the VMs of a topology file.
    /// - `hostAddresses`: the host's IPv4 addresses, which a bound forward must name one of.
    public static func resolve(
        _ forwards: [PortForward], network name: String, model: NetworkModel, ipv4: NetworkPlan.IPv4Plan?,
        vmAddresses: [String: IPv4Address] = [:], existing: [Existing], hostAddresses: [IPv4Address]
    ) throws(VNetError) -> [PortForward] {
        guard !forwards.isEmpty else { return [] }
        guard model == .nat else {
            throw .invalidInput(
                "forward '\(forwards[0])': network '\(name)' is \(model); port forwards apply to nat networks only "
                    + "(routed and bridged guests are reachable without them, isolated ones are not meant to be)")
        }
        guard let ipv4 else {
            throw .invalidInput("forward '\(forwards[0])': network '\(name)' has no IPv4 subnet to forward into")
        }
        let reserved = Dictionary(
            (ipv4.dhcp?.reservations ?? []).compactMap { reservation in reservation.hostname.map { ($0, reservation.ip) } },
            uniquingKeysWith: { first, _ in first })
        var resolved: [PortForward] = []
        for var forward in forwards {
            if let address = forward.address, !hostAddresses.contains(address) {
                throw .invalidInput(
                    "forward '\(forward)': \(address) is not an address of this host; give one of its addresses "
                        + "('ip -4 addr') or leave the address out to listen on all of them")
            }
            if let vm = forward.vm {
                guard let ip = vmAddresses[vm] ?? reserved[DNSNames.hostname(for: vm)] ?? reserved[vm] else {
                    throw .invalidInput(
                        "forward '\(forward)': VM '\(vm)' has no DHCP reservation on network '\(name)'; reserve one "
                            + "(an ip= on the VM's NIC in that network, or a dhcp host MAC,ADDR,\(vm) of it) or give the guest's address")
                }
                forward.guest = ip
            }
            guard let guest = forward.guest else { continue }
            let subnet = ipv4.subnet
            guard subnet.contains(guest), guest != subnet.network, guest != subnet.broadcast else {
                throw .invalidInput(
                    "forward '\(forward)': guest \(guest) is outside network '\(name)' (\(subnet)); give a guest address in it")
            }
            guard guest != ipv4.gateway else {
                throw .invalidInput("forward '\(forward)': \(guest) is the host's own address on '\(name)', not a guest's")
            }
            if let earlier = resolved.first(where: { $0.clashes(with: forward) }) {
                throw .invalidInput(
                    "forward '\(forward)': host port \(forward.proto) \(forward.hostPorts) is already forwarded by "
                        + "'\(earlier)' on the same network; give each host port once")
            }
            if let other = existing.first(where: { $0.network != name && $0.forward.clashes(with: forward) }) {
                throw .invalidInput(
                    "forward '\(forward)': host port \(forward.proto) \(forward.hostPorts) is already forwarded by "
                        + "network '\(other.network)' ('\(other.forward)'); choose another host port")
            }
            resolved.append(forward)
        }
        return resolved
    }
}
