import Glibc
import Testing

@testable import HostNet

struct HostLinkKindTests {
    @Test(arguments: [
        ("bridge", HostLink.Kind.bridge), ("veth", .veth), ("tun", .tun), ("macvtap", .macvtap),
        ("vlan", .vlan), ("bond", .bond), ("dummy", .dummy), ("vxlan", .other), ("macvlan", .other),
        ("wireguard", .other), ("ethernet", .other), ("loopback", .other), ("other", .other),
    ])
    func kernelKindDecides(kernelKind: String, expected: HostLink.Kind) {
        #expect(HostLink.Kind(kernelKind: kernelKind, arpType: 1, name: "vnth-none") == expected)
    }

    // ARPHRD_LOOPBACK, ARPHRD_ETHER, ARPHRD_NONE (tun), ARPHRD_TUNNEL (ipip).
    @Test(arguments: [
        (Int32(772), HostLink.Kind.loopback), (1, .ethernet), (65534, .other), (768, .other),
    ])
    func hardwareTypeDecidesWithoutKernelKind(arpType: Int32, expected: HostLink.Kind) {
        #expect(HostLink.Kind(kernelKind: nil, arpType: arpType, name: "vnth-none") == expected)
    }
}
