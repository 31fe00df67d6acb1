import VNetCore

/// A range as `--json` prints every range (DHCP ranges, port ranges): `{"start": …, "end": …}`,
/// both ends included; its text form is `START-END`, or the one value when both ends are equal.
struct RangeValue<Bound: Encodable & Equatable & CustomStringConvertible>: Encodable, CustomStringConvertible {
    var start: Bound
    var end: Bound

    var description: String { start == end ? start.description : "\(start)-\(end)" }
}

extension RangeValue where Bound == IPv4Address {
    init(_ range: IPv4Range) { self.init(start: range.first, end: range.last) }
}

extension RangeValue where Bound == Int {
    init(_ range: PortRange) { self.init(start: range.first, end: range.last) }
}
