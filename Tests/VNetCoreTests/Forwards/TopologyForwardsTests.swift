import Testing
import VNetCore

/// `forwards:` in topology files: read per network, VMs of the file known by their reserved
/// address, and a bad forward refused with the file, line and field.
struct TopologyForwardsTests {
    static let file = """
        networks:
          - name: lab
            model: nat
            subnet: 10.123.4.0/24
            forwards: ["tcp:8080:web1:80", "udp:5000-5001:10.123.4.12:6000-6001"]
        vms:
          - name: web1
            nics: [{ network: lab, ip: 10.123.4.11 }]
        """

    @Test func forwardsAndTheFilesVMAddressesAreRead() throws {
        let topology = try TopologyParser.parse(Self.file, source: "lab.yaml")
        let spec = try #require(topology.networks.first?.spec)
        #expect(spec.forwards.map(\.description) == ["tcp:8080:web1:80", "udp:5000-5001:10.123.4.12:6000-6001"])
        #expect(spec.forwardVMs["web1"]?.description == "10.123.4.11")
    }

    @Test(arguments: [
        ("[\"tcp:8080:web1\"]", "lab.yaml:5: networks[0].forwards[0]: forward 'tcp:8080:web1': expected 4 fields"),
        ("[\"tcp:1-2:web1:80\"]", "a range maps to a range of the same size"),
        ("\"tcp:8080:web1:80\"", "lab.yaml:5:"),
    ])
    func badForwardsNameTheFileAndLine(forwards: String, expected: String) {
        let text = Self.file.replacingOccurrences(
            of: "[\"tcp:8080:web1:80\", \"udp:5000-5001:10.123.4.12:6000-6001\"]", with: forwards)
        let error = #expect(throws: VNetError.self) { try TopologyParser.parse(text, source: "lab.yaml") }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }
}
