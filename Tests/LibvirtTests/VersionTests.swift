import Testing
@testable import Libvirt

@Suite struct VersionTests {
    @Test(arguments: [
        (UInt(9_000_000), "9.0.0"),
        (UInt(10_010_002), "10.10.2"),
        (UInt(2), "0.0.2"),
        (UInt(1_002_003), "1.2.3"),
    ])
    func decodesLibvirtsEncoding(encoded: UInt, expected: String) {
        #expect(Version(encoded: encoded).description == expected)
    }

    @Test(arguments: [
        (Version(major: 9, minor: 0, release: 0), Version(major: 9, minor: 0, release: 1)),
        (Version(major: 9, minor: 9, release: 9), Version(major: 10, minor: 0, release: 0)),
        (Version(major: 1, minor: 2, release: 9), Version(major: 1, minor: 10, release: 0)),
    ])
    func ordersByComponent(lower: Version, higher: Version) {
        #expect(lower < higher)
        #expect(!(higher < lower))
    }
}
