/// Hands out MAC addresses with QEMU's prefix 52:54:00 that no one on the host uses.
///
/// Deterministic: a NIC's MAC is derived from the VM's name, the NIC's index, an optional seed
/// and the libvirt host's UUID, so rendering the same VM twice on one host gives the same MACs and
/// the same VM name on two hosts of one LAN different ones. On a collision, or on a MAC the NIC's
/// LAN segment already carries (its bridge's forwarding database), it probes the next suffixes in
/// order. Uniqueness across processes needs the `HostLock` held from the inventory
/// scan until the define has returned, or two processes could pick one free MAC.
public struct MACAllocator: Sendable {
    private let inventory: MACInventory
    /// Every MAC in use on the host, reservations included, plus those handed out here.
    private var taken: Set<MACAddress>
    /// The MACs this allocator handed out or accepted.
    private var claimed: Set<MACAddress> = []

    public init(inventory: MACInventory) {
        self.inventory = inventory
        taken = Set(inventory.uses.map(\.mac))
    }

    /// A free MAC for NIC `index` of `vm`, now counted as taken.
    ///
    /// `lan` names the host devices whose LAN segment the NIC joins (``MACInventory/lanDevices(for:in:)``);
    /// every MAC in their forwarding databases counts as taken for this NIC.
    public mutating func allocate(vm: String, nic index: Int, seed: String? = nil, network: String?, lan: [String] = [])
        -> MACAddress
    {
        let suffixSpace: UInt32 = 1 << 24
        let host = inventory.hostUUID.map { "\u{0}\($0)" } ?? ""
        var suffix = Self.hash("\(seed ?? "")\u{0}\(vm)\u{0}\(index)\(host)") % suffixSpace
        let seen = lan.reduce(into: Set<MACAddress>()) { $0.formUnion(inventory.lanMACs[$1] ?? []) }
        while true {
            let mac = MACAddress(MACAddress.qemuPrefix, suffix: suffix)
            // All-zero and all-one suffixes read as placeholders; skip them.
            if suffix != 0, suffix != suffixSpace - 1, !taken.contains(mac), !seen.contains(mac) {
                claim(mac, vm: vm, network: network)
                return mac
            }
            suffix = (suffix + 1) % suffixSpace
        }
    }

    /// Takes a MAC the user gave, refusing one that is malformed for a NIC or already used.
    public mutating func take(_ mac: MACAddress, vm: String, network: String?) throws(VNetError) {
        if mac.isZero {
            throw .invalidInput("mac=\(mac) is all zeros; give a real MAC or leave mac= out to get a free one")
        }
        if mac.isMulticast {
            throw .invalidInput(
                "mac=\(mac) is a multicast address (its first octet is odd); a NIC needs a unicast MAC such as 52:54:00:…")
        }
        if claimed.contains(mac) {
            throw .invalidInput("mac=\(mac) is given to two NICs of VM '\(vm)'; each NIC needs its own MAC")
        }
        // A reservation alone is an address booked for this MAC, which the new NIC may claim.
        if let owner = inventory.uses(of: mac).first(where: { $0.kind != .reservation }) {
            throw .invalidInput("mac=\(mac) is already used by the \(owner); choose another or leave mac= out")
        }
        claim(mac, vm: vm, network: network)
    }

    private mutating func claim(_ mac: MACAddress, vm: String, network: String?) {
        taken.insert(mac)
        claimed.insert(mac)
    }

    /// FNV-1a, 32 bits: stable across runs and platforms, unlike Swift's seeded `Hasher`.
    static func hash(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}
