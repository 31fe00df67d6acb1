import Foundation
import Libvirt
import LibXML

/// Exercises every owning path of the bindings many times, for valgrind's leak checker.
///
/// Usage: `vnet-leakcheck URI ITERATIONS`. Each iteration opens a connection, lists networks and
/// domains, defines, looks up (by name and UUID), starts, updates, reads and removes a network and a
/// domain, parses and validates their XML with libxml2, and — where the URI has a `default-pool`, as
/// the test driver does — creates, finds and deletes a storage volume.
@main
enum LeakCheck {
    static func main() throws {
        let arguments = CommandLine.arguments
        let uri = arguments.count > 1 ? arguments[1] : "test:///default"
        let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 1000 : 1000
        let prefix = "vnt-leak-\(getpid())"
        let networkSchema = try RelaxNGSchema.libvirt("network")
        let domainSchema = try RelaxNGSchema.libvirt("domain")
        for iteration in 0..<iterations {
            let connection = try Connection(uri: uri)
            _ = try connection.networks()
            _ = try connection.domains()
            _ = try connection.hostname
            _ = try connection.daemonVersion()

            let networkName = "\(prefix)-\(iteration)"
            let network = try connection.defineNetwork(xml: networkXML(name: networkName, iteration: iteration))
            let found = try connection.network(uuid: try connection.network(named: networkName).uuid)
            try found.start()
            try found.update(.add, .ipDHCPHost, xml: hostXML(iteration: iteration), flags: [.live, .config])
            // The test driver keeps no separate saved config for networks; the daemon does.
            let document = try XMLDocument(string: try found.xml(inactive: !uri.hasPrefix("test:")))
            _ = networkSchema.validate(document)
            _ = try document.strings("/network/ip/dhcp/host/@mac")
            _ = try found.bridgeName
            try found.stop()
            try network.undefine()
            _ = try? connection.network(named: networkName)

            let domainName = "\(prefix)-vm-\(iteration)"
            let domain = try connection.defineDomain(xml: domainXML(name: domainName, uri: uri))
            _ = try connection.domain(uuid: try connection.domain(named: domainName).uuid)
            _ = domainSchema.validate(try XMLDocument(string: try domain.xml()))
            _ = try domain.state
            try domain.undefine()
            _ = try? connection.domain(named: domainName)

            if let pool = try? connection.storagePool(named: "default-pool") {
                let volumeName = "\(prefix)-\(iteration).qcow2"
                let volume = try pool.createVolume(xml: """
                    <volume><name>\(volumeName)</name><capacity unit='bytes'>1048576</capacity>\
                    <target><format type='qcow2'/></target></volume>
                    """)
                _ = try pool.xml()
                try pool.refresh()
                _ = try connection.storageVolume(path: try volume.path).xml()
                try volume.delete()
                _ = try? pool.volume(named: volumeName)
            }
        }
        print("leak check: \(iterations) iterations on \(uri) done")
    }

    static func networkXML(name: String, iteration: Int) -> String {
        let octet = 200 + iteration % 50
        return """
            <network>
              <name>\(name)</name>
              <bridge name='vnleak\(iteration % 1000)' stp='off' delay='0'/>
              <ip address='10.123.\(octet).1' prefix='24'>
                <dhcp><range start='10.123.\(octet).100' end='10.123.\(octet).200'/></dhcp>
              </ip>
            </network>
            """
    }

    static func hostXML(iteration: Int) -> String {
        let octet = 200 + iteration % 50
        return "<host mac='52:54:00:7c:00:01' name='leak' ip='10.123.\(octet).10'/>"
    }

    static func domainXML(name: String, uri: String) -> String {
        let type = uri.hasPrefix("test:") ? "test" : "qemu"
        return """
            <domain type='\(type)'>
              <name>\(name)</name>
              <memory unit='MiB'>64</memory>
              <os><type arch='x86_64'>hvm</type></os>
              <devices><interface type='network'><source network='default'/></interface></devices>
            </domain>
            """
    }
}
