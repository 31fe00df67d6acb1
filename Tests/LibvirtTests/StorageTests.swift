import Foundation
import Testing
@testable import Libvirt

/// Storage pools and volumes on the test driver's `default-pool` (active, a directory pool at
/// `/default-pool`, held in memory by the in-process driver).
@Suite struct StorageTests {
    @Test func createsFindsAndDeletesAVolume() throws {
        let connection = try Connection(uri: testURI)
        let pool = try connection.storagePool(named: "default-pool")
        #expect(pool.name == "default-pool")
        #expect(try pool.isActive)
        #expect(try pool.xml().contains("<path>/default-pool</path>"))
        let name = uniqueName("vol") + ".qcow2"
        let volume = try pool.createVolume(xml: """
            <volume type='file'><name>\(name)</name><capacity unit='bytes'>1048576</capacity>
            <target><format type='qcow2'/></target></volume>
            """)
        #expect(volume.name == name)
        #expect(try volume.path == "/default-pool/\(name)")
        #expect(try volume.xml().contains("<name>\(name)</name>"))
        try pool.refresh()
        #expect(try pool.volume(named: name).name == name)
        #expect(try connection.storageVolume(path: "/default-pool/\(name)").name == name)
        try volume.delete()
        #expect(libvirtError { _ = try pool.volume(named: name) }?.code == .noStorageVolume)
    }

    @Test func missingPoolAndVolumeHaveTheirCodes() throws {
        let connection = try Connection(uri: testURI)
        #expect(libvirtError { _ = try connection.storagePool(named: uniqueName("missing")) }?.code == .noStoragePool)
        #expect(libvirtError { _ = try connection.storageVolume(path: "/default-pool/\(uniqueName("missing"))") }?.code
            == .noStorageVolume)
    }
}
