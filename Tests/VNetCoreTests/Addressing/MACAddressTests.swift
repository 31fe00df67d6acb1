import Testing
import VNetCore

struct MACAddressTests {
    @Test(arguments: [
        ("52:54:00:ab:cd:ef", "52:54:00:ab:cd:ef"),
        ("52:54:00:AB:CD:EF", "52:54:00:ab:cd:ef"),
        ("52-54-00-Ab-cD-eF", "52:54:00:ab:cd:ef"),
        ("00:00:00:00:00:00", "00:00:00:00:00:00"),
        ("ff:ff:ff:ff:ff:ff", "ff:ff:ff:ff:ff:ff"),
        ("0a:0b:0c:0d:0e:0f", "0a:0b:0c:0d:0e:0f"),
    ])
    func parsesToLowercaseColonForm(text: String, canonical: String) throws {
        let mac = try MACAddress(text)
        #expect(mac.description == canonical)
        #expect(try MACAddress(canonical) == mac)
    }

    @Test(arguments: [
        "", "52:54:00:ab:cd", "52:54:00:ab:cd:ef:01", "52:54:00:ab:cd:eg", "52:54:00-ab:cd:ef", "5254.00ab.cdef",
        "525400abcdef", "52:54:0:ab:cd:ef", "52:54:000:ab:cd:ef", "52:54:00:ab:cd:ef ", " 52:54:00:ab:cd:ef",
        "52:54:00:ab:cd:", "+2:54:00:ab:cd:ef",
    ])
    func rejects(text: String) {
        let error = #expect(throws: AddressError.self) { try MACAddress(text) }
        #expect(
            error?.message
                == "'\(text)' is not a valid MAC address: expected six pairs of hex digits separated by ':' or '-', "
                + "like 52:54:00:ab:cd:ef")
    }

    @Test(arguments: [
        ("52:54:00:ab:cd:ef", false, false, true),
        ("00:16:3e:00:00:01", false, false, false),
        ("01:00:5e:00:00:fb", true, false, false),
        ("33:33:00:00:00:01", true, false, true),
        ("ff:ff:ff:ff:ff:ff", true, false, true),
        ("00:00:00:00:00:00", false, true, false),
        ("02:00:00:00:00:00", false, false, true),
    ])
    func classifies(text: String, multicast: Bool, zero: Bool, local: Bool) throws {
        let mac = try MACAddress(text)
        #expect(mac.isMulticast == multicast)
        #expect(mac.isZero == zero)
        #expect(mac.isLocallyAdministered == local)
    }

    @Test func prefixAndSuffix() throws {
        #expect(MACAddress.qemuPrefix.description == "52:54:00")
        let mac = MACAddress(MACAddress.qemuPrefix, suffix: 0xab_cdef)
        #expect(mac.description == "52:54:00:ab:cd:ef")
        #expect(mac.prefix == MACAddress.qemuPrefix)
        #expect(mac.suffix == 0xab_cdef)
        #expect(mac.octets == [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef])
        #expect(mac.rawValue == 0x5254_00ab_cdef)
        #expect(MACAddress(MACAddress.Prefix(0x00, 0x16, 0x3e), suffix: 1).description == "00:16:3e:00:00:01")
        #expect(MACAddress(rawValue: 0x5254_00ab_cdef) == mac)
        #expect(try MACAddress("52:54:00:00:00:01") < MACAddress("52:54:00:00:01:00"))
    }
}
