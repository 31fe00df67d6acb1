import Foundation
import Glibc
import Synchronization

/// A relay between libvirt clients and a libvirtd's unix socket, which a test cuts to lose the
/// connection under a client that opened it.
///
/// Clients connect with ``uri``. The relay reads the client's side as libvirt RPC packets (a
/// 4-byte big-endian length that counts itself, then program, version, procedure, type, serial
/// and status, 4 bytes each), so it can cut the moment a client calls a given procedure: the call
/// then never reaches the daemon, and the client sees its connection end mid-command. The relay
/// lives until it is cut.
public final class SocketProxy: Sendable {
    /// libvirt's main RPC program (`REMOTE_PROGRAM` in `remote_protocol.x`).
    public static let remoteProgram: UInt32 = 0x2000_8086
    /// `REMOTE_PROC_CONNECT_LIST_ALL_NETWORKS`: the call behind `Connection.networks()`.
    public static let listAllNetworks: UInt32 = 283

    /// The socket clients connect to, in a directory of its own.
    public let path: String
    private let upstream: String
    private let cutAt: UInt32?
    private let cutAfterReply: UInt32?
    private let state = Mutex<State>(State())

    private struct State {
        var cut = false
        var listener: Int32 = -1
        /// Every socket the relay holds open, client sides and daemon sides.
        var sockets: Set<Int32> = []
        /// The procedures of `remoteProgram` the clients called, in order.
        var procedures: [UInt32] = []
    }

    /// Listens for clients and relays each to `upstream`; with `cutAt`, cuts every connection
    /// when a client calls that procedure of ``remoteProgram`` (which is not passed on); with
    /// `cutAfterReply`, once the daemon's reply to that procedure has reached the client, so that
    /// the client's next call finds its connection gone.
    public init(
        upstream: String = "/var/run/libvirt/libvirt-sock", cutAt procedure: UInt32? = nil, cutAfterReply: UInt32? = nil
    ) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-proxy-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("sock").path
        self.upstream = upstream
        cutAt = procedure
        self.cutAfterReply = cutAfterReply
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        guard Self.withAddress(of: path, { bind(listener, $0, $1) }) == 0, listen(listener, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw HarnessError("cannot listen on \(path): \(reason)")
        }
        state.withLock { $0.listener = listener }
        Thread.detachNewThread { [self] in accept(on: listener) }
    }

    /// A URI of the local QEMU driver that reaches libvirtd through this relay.
    public var uri: String { "qemu+unix:///system?socket=\(path)" }

    /// The procedures of ``remoteProgram`` that clients called so far, in order.
    public var procedures: [UInt32] { state.withLock { $0.procedures } }

    /// Whether the relay was cut.
    public var isCut: Bool { state.withLock { $0.cut } }

    /// Ends every relayed connection at once, both sides, accepts no more clients and removes the
    /// socket; a test that does not cut the relay itself calls this when it is done.
    ///
    /// Sockets are shut down, and closed elsewhere, only under the lock and only while the relay
    /// holds them: a descriptor it closed may already be another test's socket.
    public func cut() {
        state.withLock { state in
            state.cut = true
            for socket in state.sockets { shutdown(socket, Int32(SHUT_RDWR)) }
            if state.listener >= 0 { shutdown(state.listener, Int32(SHUT_RDWR)) }
        }
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    private func accept(on listener: Int32) {
        defer {
            state.withLock { state in
                close(listener)
                state.listener = -1
            }
        }
        while true {
            let client = Glibc.accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR, !isCut { continue }
                return
            }
            let daemon = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard daemon >= 0, Self.withAddress(of: upstream, { connect(daemon, $0, $1) }) == 0,
                hold([client, daemon])
            else {
                close(client)
                if daemon >= 0 { close(daemon) }
                continue
            }
            let pair = Pair(client: client, daemon: daemon)
            Thread.detachNewThread { [self] in
                relayCalls(from: client, to: daemon)
                finish(pair)
            }
            Thread.detachNewThread { [self] in
                relayReplies(from: daemon, to: client)
                finish(pair)
            }
        }
    }

    /// One client's connection and the relay's own to the daemon, relayed by two threads.
    private final class Pair: Sendable {
        let client: Int32
        let daemon: Int32
        let finished = Mutex(0)

        init(client: Int32, daemon: Int32) {
            self.client = client
            self.daemon = daemon
        }
    }

    /// Ends both sides of a pair when one of its threads stops; the second to stop closes them.
    private func finish(_ pair: Pair) {
        shutdown(pair.client, Int32(SHUT_RDWR))
        shutdown(pair.daemon, Int32(SHUT_RDWR))
        guard pair.finished.withLock({ count in count += 1; return count }) == 2 else { return }
        state.withLock { state in
            state.sockets.subtract([pair.client, pair.daemon])
            close(pair.client)
            close(pair.daemon)
        }
    }

    /// Registers open sockets, unless the relay was cut meanwhile.
    private func hold(_ sockets: [Int32]) -> Bool {
        state.withLock { state in
            guard !state.cut else { return false }
            state.sockets.formUnion(sockets)
            return true
        }
    }

    /// Passes the client's packets on one by one, noting each call and cutting at `cutAt`.
    private func relayCalls(from client: Int32, to daemon: Int32) {
        while let packet = Self.readPacket(from: client) {
            if packet.count >= 16, Self.word(packet, at: 4) == Self.remoteProgram {
                let procedure = Self.word(packet, at: 12)
                state.withLock { $0.procedures.append(procedure) }
                if procedure == cutAt {
                    cut()
                    return
                }
            }
            guard Self.write(packet, to: daemon) else { return }
        }
    }

    /// Passes the daemon's packets on one by one, cutting after the reply to `cutAfterReply`.
    private func relayReplies(from daemon: Int32, to client: Int32) {
        while let packet = Self.readPacket(from: daemon) {
            guard Self.write(packet, to: client) else { return }
            // Type 1 is a reply (`VIR_NET_REPLY`).
            if packet.count >= 20, Self.word(packet, at: 4) == Self.remoteProgram, Self.word(packet, at: 12) == cutAfterReply,
                Self.word(packet, at: 16) == 1 {
                cut()
                return
            }
        }
    }

    /// One whole packet, length word included; nil at the end of the stream.
    private static func readPacket(from socket: Int32) -> [UInt8]? {
        guard let head = readExactly(4, from: socket) else { return nil }
        let length = Int(word(head, at: 0))
        guard length >= 4, let body = readExactly(length - 4, from: socket) else { return nil }
        return head + body
    }

    private static func readExactly(_ count: Int, from socket: Int32) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { read(socket, $0.baseAddress! + done, count - done) }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    private static func write(_ bytes: [UInt8], to socket: Int32) -> Bool {
        var done = 0
        while done < bytes.count {
            let sent = bytes.withUnsafeBytes { send(socket, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            done += sent
        }
        return true
    }

    private static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func withAddress(of path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return -1 }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}
