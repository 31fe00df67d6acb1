/// Finds `--mac-seed` values that make different VMs derive the same MAC, so tests can force the
/// collisions that probing and the host lock exist for.
///
/// vnetctl derives NIC `index` of `vm` from the 32-bit FNV-1a hash of `SEED \0 VM \0 INDEX \0 UUID`
/// (UUID: the libvirt host's, lowercase; without one the derivation ends after INDEX), keeping the
/// low 24 bits as the suffix under 52:54:00. Each FNV-1a step `x → (x ^ byte) · P` is a
/// bijection, so the hash can be run backwards from a wanted value; a meet in the middle (3 seed
/// characters forwards from the offset basis, 2 backwards from the wanted state) finds a seed.
/// Callers must confirm each seed through vnetctl's own allocator: this mirrors its hash.
public final class MACSeedSolver {
    static let basis: UInt32 = 2_166_136_261
    static let prime: UInt32 = 16_777_619
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    /// P⁻¹ mod 2³² (Newton's iteration; P is odd).
    static let inversePrime: UInt32 = {
        var x = prime
        for _ in 0..<5 { x = x &* (2 &- prime &* x) }
        return x
    }()

    /// FNV state after three seed characters → those characters.
    private let forward: [UInt32: [UInt8]]

    public init() {
        var forward: [UInt32: [UInt8]] = [:]
        forward.reserveCapacity(Self.alphabet.count * Self.alphabet.count * Self.alphabet.count)
        for a in Self.alphabet {
            let sa = (Self.basis ^ UInt32(a)) &* Self.prime
            for b in Self.alphabet {
                let sb = (sa ^ UInt32(b)) &* Self.prime
                for c in Self.alphabet {
                    forward[(sb ^ UInt32(c)) &* Self.prime] = [a, b, c]
                }
            }
        }
        self.forward = forward
    }

    /// FNV-1a of `bytes` from `state`.
    static func hash<S: Sequence>(_ bytes: S, from state: UInt32 = basis) -> UInt32 where S.Element == UInt8 {
        bytes.reduce(state) { ($0 ^ UInt32($1)) &* prime }
    }

    /// The 24-bit suffix vnetctl derives for NIC `nic` of `vm` with `seed` (nil: no seed) on the
    /// host with UUID `hostUUID`.
    public static func derivedSuffix(vm: String, nic: Int, seed: String?, hostUUID: String?) -> UInt32 {
        hash(Array("\(seed ?? "")".utf8) + tail(vm: vm, nic: nic, hostUUID: hostUUID)) & 0xFF_FFFF
    }

    /// What follows the seed in the hashed text.
    static func tail(vm: String, nic: Int, hostUUID: String?) -> [UInt8] {
        Array("\u{0}\(vm)\u{0}\(nic)\(hostUUID.map { "\u{0}\($0.lowercased())" } ?? "")".utf8)
    }

    /// The UUID libvirt reports for the host at `uri` (its capabilities), which the derivation
    /// mixes in; nil when the capabilities name none.
    public static func hostUUID(uri: String = "qemu:///system") throws -> String? {
        let xml = try Command.output(["virsh", "-q", "-c", uri, "capabilities"])
        return xml.firstMatch(of: /<host>\s*<uuid>([0-9a-fA-F-]+)<\/uuid>/).map { String($0.output.1).lowercased() }
    }

    /// A five-character alphanumeric seed with which NIC `nic` of `vm` derives `suffix` on the host
    /// with UUID `hostUUID`, or nil.
    public func seed(vm: String, nic: Int, suffix: UInt32, hostUUID: String?) -> String? {
        let tail = Self.tail(vm: vm, nic: nic, hostUUID: hostUUID)
        for high in UInt32(0)..<256 {
            // The state the seed must leave, found by running the tail backwards from the hash.
            var state = high << 24 | (suffix & 0xFF_FFFF)
            for byte in tail.reversed() { state = (state &* Self.inversePrime) ^ UInt32(byte) }
            for e in Self.alphabet {
                let beforeE = (state &* Self.inversePrime) ^ UInt32(e)
                for d in Self.alphabet {
                    let beforeD = (beforeE &* Self.inversePrime) ^ UInt32(d)
                    if let head = forward[beforeD] {
                        return String(decoding: head + [d, e], as: UTF8.self)
                    }
                }
            }
        }
        return nil
    }
}
