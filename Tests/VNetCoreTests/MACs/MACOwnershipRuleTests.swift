import Testing
import VNetCore

/// `MACOwnership`'s rules on hand-made reservations: one reservation per MAC on the host, and a NIC
/// may use a reserved MAC only for the host name the reservation gives (or none).
struct MACOwnershipRuleTests {
    static let mac = try! MACAddress("52:54:00:7b:00:01")
    static func reservation(_ network: String, name: String?) -> MACOwnership.Reservation {
        .init(network: network, mac: mac, ip: "10.123.1.5", name: name)
    }

    @Test(arguments: [
        ([reservation("a", name: "printer")], "b", "--host x: MAC 52:54:00:7b:00:01 is already reserved in network 'a' (10.123.1.5, host 'printer'); a MAC has one owner: pick another MAC or remove that reservation first"),
        ([reservation("a", name: nil)], "b", "--host x: MAC 52:54:00:7b:00:01 is already reserved in network 'a' (10.123.1.5); a MAC has one owner: pick another MAC or remove that reservation first"),
        ([reservation("b", name: "printer")], "b", nil),
        ([], "b", nil),
    ] as [([MACOwnership.Reservation], String, String?)])
    func aSecondReservationIsRefused(existing: [MACOwnership.Reservation], network: String, message: String?) {
        if let message {
            #expect(throws: VNetError.invalidInput(message)) {
                try MACOwnership.checkReservation(Self.mac, in: network, option: "--host x", against: existing)
            }
        } else {
            #expect(throws: Never.self) { try MACOwnership.checkReservation(Self.mac, in: network, option: "--host x", against: existing) }
        }
    }

    @Test(arguments: [
        ("printer", false), ("web1", true), ("WEB1", true), ("web1-1", true), ("web1-12", true), ("web1-x", false),
        ("web10", false), ("web", false),
    ])
    func aNICMayClaimOnlyAReservationNamingItsVM(name: String, allowed: Bool) {
        let existing = [Self.reservation("a", name: name)]
        if allowed {
            #expect(throws: Never.self) { try MACOwnership.checkNIC(Self.mac, vm: "web1", option: "mac", against: existing) }
        } else {
            #expect(throws: VNetError.self) { try MACOwnership.checkNIC(Self.mac, vm: "web1", option: "mac", against: existing) }
        }
    }

    @Test func aNamelessReservationMayBeClaimed() {
        #expect(throws: Never.self) {
            try MACOwnership.checkNIC(Self.mac, vm: "web1", option: "mac", against: [Self.reservation("a", name: nil)])
        }
    }
}
