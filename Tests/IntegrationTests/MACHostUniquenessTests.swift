import Foundation
import Testing
import TestSupport
import VNetCore

/// MACs stay unique on a LAN that more than this host shares: the derivation mixes in the libvirt
/// host's UUID, and a MAC the host bridge has learned from its uplink is never handed out. Proven
/// with virsh on each host and a namespace that sends a frame from the very MAC the derivation
/// would give.
@Suite(.onTestThreads, .serialized)
struct MACHostUniquenessTests {
    /// The MACs of `vm`'s NICs as the libvirtd at `uri` saved them.
    static func savedMACs(_ vm: String, uri: String) throws -> [String] {
        try VirshDomains.interfaceMACs(inXML: Command.output(["virsh", "-q", "-c", uri, "dumpxml", "--inactive", vm]))
    }

    static func mac(suffix: UInt32) -> String {
        MACAddress(MACAddress.qemuPrefix, suffix: suffix).description
    }

    @Test func aBridgeNICIsNeverGivenAMACTheUplinkCarried() throws {
        let vm = TestNames.unique("lan")
        let uuid = try #require(try MACSeedSolver.hostUUID(uri: Virsh.uri))
        let suffix = MACSeedSolver.derivedSuffix(vm: vm, nic: 0, seed: nil, hostUUID: uuid)
        let derived = Self.mac(suffix: suffix)
        let bridge = try TestBridge()
        // The far end of the bridge's uplink: a namespace whose eth0 has exactly the derived MAC.
        let neighbour = try GuestNamespace(bridge: bridge.name, mac: derived)
        let cleanup = VMCleanup()
        cleanup.track(vm)
        defer {
            cleanup.removeAll()
            neighbour.remove()
            bridge.remove()
        }
        let octet = try TestSubnets.freeThirdOctet()
        try neighbour.configure(address: "10.123.\(octet).2/24")
        // Its ARP request for an address no one has is a broadcast frame from the derived MAC.
        var learned = false
        for _ in 0..<50 where !learned {
            _ = neighbour.ping("10.123.\(octet).1", attempts: 1)
            learned = try Command.output(["bridge", "fdb", "show", "br", bridge.name]).contains(derived)
        }
        try #require(learned, "the bridge never learned \(derived)")

        let result = try VNetCtlBinary.run(["-c", Virsh.uri, "define", "vm", vm, "--network", "bridge=\(bridge.name)"])
        try #require(result.status == 0, "\(result)")
        let macs = try Self.savedMACs(vm, uri: Virsh.uri)
        #expect(macs.count == 1)
        #expect(!macs.contains(derived), "\(vm) was given \(derived), which the LAN already carries")
        // Probing went on from the derived MAC: the next suffix, not some unrelated MAC.
        #expect(macs == [Self.mac(suffix: suffix + 1)], "\(macs)")
    }

    @Test(.enabled(if: SecondHost.current != nil, "set VNETCTL_SECOND_HOST=NAME=URI of a second-host.sh host"))
    func theSameVMNameOnTwoHostsDerivesDifferentMACs() throws {
        let second = try #require(SecondHost.current).uri
        let vm = TestNames.unique("twin")
        defer {
            for uri in [Virsh.uri, second] {
                _ = try? Command.run(["virsh", "-q", "-c", uri, "undefine", vm])
            }
        }
        var macs: [String: String] = [:]
        for uri in [Virsh.uri, second] {
            let result = try VNetCtlBinary.run(["-c", uri, "define", "vm", vm, "--network", "user"])
            try #require(result.status == 0, "\(uri): \(result)")
            let saved = try Self.savedMACs(vm, uri: uri)
            let uuid = try #require(try MACSeedSolver.hostUUID(uri: uri))
            #expect(saved == [Self.mac(suffix: MACSeedSolver.derivedSuffix(vm: vm, nic: 0, seed: nil, hostUUID: uuid))], "\(uri)")
            macs[uri] = saved.first
        }
        #expect(try MACSeedSolver.hostUUID(uri: Virsh.uri) != MACSeedSolver.hostUUID(uri: second))
        #expect(macs[Virsh.uri] != nil && macs[Virsh.uri] != macs[second], "\(macs)")
    }
}
