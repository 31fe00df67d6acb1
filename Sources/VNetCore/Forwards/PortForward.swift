/// One port forward of a nat network: new connections to a host port (or range) reach a guest's
/// port (or a range of the same size), written `[ADDR:]PROTO:HOSTPORT[-LAST]:GUEST:PORT[-LAST]`.
///
/// `GUEST` is a VM's name, resolved through its DHCP reservation on the network, or an IPv4
/// address. A resolved forward has `guest` set; `vm` stays the name it was given by.
public struct PortForward: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Proto: String, Sendable, Hashable, Codable, CaseIterable {
        case tcp, udp
    }

    public var proto: Proto
    /// The one host address the forward listens on; nil for every address of the host.
    public var address: IPv4Address?
    public var hostPorts: PortRange
    /// The guest's address; nil until a VM name is resolved.
    public var guest: IPv4Address?
    /// The VM the forward was given by, if it was given by name.
    public var vm: String?
    public var guestPorts: PortRange

    public init(
        proto: Proto, address: IPv4Address? = nil, hostPorts: PortRange, guest: IPv4Address?, vm: String? = nil,
        guestPorts: PortRange
    ) {
        self.proto = proto
        self.address = address
        self.hostPorts = hostPorts
        self.guest = guest
        self.vm = vm
        self.guestPorts = guestPorts
    }

    /// The form every message shows when a forward is refused.
    public static let syntax = "[ADDR:]tcp|udp:HOSTPORT[-LAST]:GUEST:PORT[-LAST], like tcp:8080:web1:80"

    /// Reads the text form; a problem is invalid input naming the text and the form.
    public init(_ text: String) throws(VNetError) {
        func refuse(_ reason: String) -> VNetError {
            .invalidInput("forward '\(text)': \(reason); write \(Self.syntax)")
        }
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 5 {
            do {
                address = try IPv4Address(parts.removeFirst())
            } catch {
                throw refuse("the host address \(error.message)")
            }
        } else {
            address = nil
        }
        guard parts.count == 4 else { throw refuse("expected 4 fields (5 with a host address), found \(parts.count)") }
        guard let proto = Proto(rawValue: parts[0].lowercased()) else {
            throw refuse("unknown protocol '\(parts[0])'; only tcp and udp are forwarded")
        }
        self.proto = proto
        do {
            hostPorts = try PortRange(parts[1])
            guestPorts = try PortRange(parts[3])
        } catch {
            throw refuse(error.message)
        }
        let guestText = parts[2]
        if !guestText.isEmpty, guestText.allSatisfy({ $0.isNumber || $0 == "." }) {
            do {
                guest = try IPv4Address(guestText)
            } catch {
                throw refuse("the guest \(error.message)")
            }
            vm = nil
        } else {
            do {
                vm = try ObjectName(guestText).value
            } catch {
                throw refuse("the guest must be a VM name or an IPv4 address: \(error.message)")
            }
            guest = nil
        }
        guard hostPorts.count == guestPorts.count else {
            throw refuse(
                "host ports \(hostPorts) are \(hostPorts.count) port(s) but guest ports \(guestPorts) are "
                    + "\(guestPorts.count); a range maps to a range of the same size")
        }
    }

    /// The text form, with the guest as it was given (VM name or address).
    public var description: String {
        [address?.description, proto.rawValue, hostPorts.description, vm ?? guest?.description ?? "", guestPorts.description]
            .compactMap { $0 }.joined(separator: ":")
    }

    /// True when both forwards would take the same host port for the same protocol.
    public func clashes(with other: PortForward) -> Bool {
        guard proto == other.proto, hostPorts.overlaps(other.hostPorts) else { return false }
        guard let address, let otherAddress = other.address else { return true }
        return address == otherAddress
    }
}

/// An inclusive range of TCP or UDP ports, written `8080` or `8080-8089`.
public struct PortRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let valid = 1...65535

    public let first: Int
    public let last: Int

    public init(first: Int, last: Int) {
        precondition(Self.valid.contains(first) && Self.valid.contains(last) && first <= last, "a port range runs forwards")
        self.first = first
        self.last = last
    }

    public init(_ text: String) throws(VNetError) {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(ends.count) else { throw .invalidInput("'\(text)' is not a port or port range") }
        var ports: [Int] = []
        for end in ends {
            guard let port = Int(end), end.allSatisfy(\.isASCII), Self.valid.contains(port) else {
                throw .invalidInput("port '\(end)' is not a number from 1 to 65535")
            }
            ports.append(port)
        }
        guard ports[0] <= ports[ports.count - 1] else {
            throw .invalidInput("port range '\(text)' runs backwards; write \(ports[1])-\(ports[0])")
        }
        self.init(first: ports[0], last: ports[ports.count - 1])
    }

    public var count: Int { last - first + 1 }

    public func overlaps(_ other: PortRange) -> Bool { first <= other.last && other.first <= last }

    /// `8080` or `8080-8089`.
    public var description: String { first == last ? "\(first)" : "\(first)-\(last)" }

    /// The form iptables' `--dport` takes: `8080` or `8080:8089`.
    var iptables: String { first == last ? "\(first)" : "\(first):\(last)" }
}
