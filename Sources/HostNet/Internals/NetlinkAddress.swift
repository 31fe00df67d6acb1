import CLibNL
import Glibc

/// Text forms of libnl's `nl_addr` values.
enum NetlinkAddress {
    /// The canonical `inet_ntop` form of a borrowed IP `nl_addr`.
    ///
    /// libnl stores a route with no destination (the default route) as a zero-length address; that
    /// reads as the family's unspecified address (`0.0.0.0`, `::`).
    static func ipText(_ address: OpaquePointer, family: HostAddress.Family) -> String? {
        let length = Int(nl_addr_get_len(address))
        var bytes = [UInt8](repeating: 0, count: family == .ipv4 ? 4 : 16)
        guard length == 0 || length == bytes.count else { return nil }
        if length > 0, let binary = nl_addr_get_binary_addr(address) {
            bytes.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: binary, count: length)) }
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family.addressFamily, bytes, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The lowercase colon form of a borrowed 6-byte hardware `nl_addr`, `nil` for any other length.
    static func macText(_ address: OpaquePointer) -> String? {
        guard nl_addr_get_len(address) == 6, let binary = nl_addr_get_binary_addr(address) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: binary, count: 6)
        return bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
