import Foundation

/// A dnsmasq the test runs itself as the DHCP server of a bridge it made (no DNS, its own lease
/// and pid files); stopped by `stop()`.
///
/// It runs as a daemon (dnsmasq forks and its first process exits) rather than as a child the
/// test keeps: a long-lived Foundation `Process` child here kept later short-lived children from
/// being reaped, so `waitUntilExit` of the next command never returned.
public final class TestDnsmasq {
    public let leaseFile: String
    private let pidFile: String
    private var pid: Int32?

    /// Serves DHCP on `interface` from `first` to `last` (the interface needs an address in that subnet).
    public init(interface: String, first: String, last: String) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-dnsmasq-\(UUID().uuidString)").path
        leaseFile = base + ".leases"
        pidFile = base + ".pid"
        try Command.output([
            "/usr/sbin/dnsmasq", "--conf-file=/dev/null", "--user=root", "--port=0", "--bind-interfaces",
            "--interface=\(interface)", "--except-interface=lo", "--dhcp-range=\(first),\(last),5m", "--dhcp-authoritative",
            "--dhcp-leasefile=\(leaseFile)", "--pid-file=\(pidFile)",
        ])
        pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard pid != nil else { throw HarnessError("dnsmasq on \(interface) wrote no pid file") }
    }

    /// The address leased to `mac` (lowercase), from the lease file; nil while there is none.
    public func lease(of mac: String) -> String? {
        guard let text = try? String(contentsOfFile: leaseFile, encoding: .utf8) else { return nil }
        // Lines: EXPIRY MAC IP HOSTNAME CLIENT-ID
        return text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .first { $0.count >= 3 && $0[1].lowercased() == mac }?[2]
    }

    /// Whether it is still running.
    public var isRunning: Bool { pid.map { kill($0, 0) == 0 } ?? false }

    public func stop() {
        if let pid {
            kill(pid, SIGTERM)
            self.pid = nil
        }
        try? FileManager.default.removeItem(atPath: leaseFile)
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    deinit { stop() }
}

/// DHCP messages read from a pcap file (as QEMU's filter-dump writes them: Ethernet frames).
public enum PcapDHCP {
    /// One DHCP message: its type (option 53: 2 offer, 5 ACK, …), the address it gives (yiaddr)
    /// and the client's MAC (chaddr), lowercase.
    public struct Message: Sendable, Equatable {
        public var type: Int
        public var yourAddress: String
        public var clientMAC: String
    }

    /// Every DHCP message (UDP port 67 or 68, IPv4) in the pcap at `path`; empty when there is no
    /// file yet. Handles both byte orders of the pcap header.
    public static func messages(in path: String) -> [Message] {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 24 else { return [] }
        let bytes = [UInt8](data)
        let littleEndian = bytes[0] == 0xd4 && bytes[1] == 0xc3
        func u32(_ offset: Int) -> Int {
            let b = bytes[offset..<offset + 4].map(Int.init)
            return littleEndian ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24
        }
        var messages: [Message] = []
        var offset = 24
        while offset + 16 <= bytes.count {
            let length = u32(offset + 8)
            let start = offset + 16
            offset = start + length
            guard offset <= bytes.count, length > 14 + 20 + 8 + 240 else { continue }
            let frame = Array(bytes[start..<offset])
            guard frame[12] == 0x08, frame[13] == 0x00, frame[23] == 17 else { continue }
            let ip = 14, udp = ip + Int(frame[ip] & 0x0f) * 4
            let ports = [Int(frame[udp]) << 8 | Int(frame[udp + 1]), Int(frame[udp + 2]) << 8 | Int(frame[udp + 3])]
            guard ports.contains(67) || ports.contains(68) else { continue }
            let bootp = udp + 8
            guard frame.count > bootp + 240, frame[bootp + 236..<bootp + 240].elementsEqual([99, 130, 83, 99]) else { continue }
            var option = bootp + 240
            var type = 0
            while option + 1 < frame.count, frame[option] != 255 {
                if frame[option] == 0 { option += 1; continue }
                let size = Int(frame[option + 1])
                if frame[option] == 53, size == 1, option + 2 < frame.count { type = Int(frame[option + 2]) }
                option += 2 + size
            }
            let yiaddr = frame[bootp + 16..<bootp + 20].map(String.init).joined(separator: ".")
            let chaddr = frame[bootp + 28..<bootp + 34].map { String(format: "%02x", $0) }.joined(separator: ":")
            messages.append(Message(type: type, yourAddress: yiaddr, clientMAC: chaddr))
        }
        return messages
    }
}
