import Foundation
import Testing
import TestSupport

/// `apply` plans and checks the whole file before its first change, and plans under the host
/// lock, so that concurrent vnetctl processes never pick the same subnet.
struct TopologyPlanFirstTests {
    func write(_ yaml: String, named name: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Starts one vnetctl process per argument list, all at once, and returns their exit statuses.
    static func runTogether(_ jobs: [[String]]) throws -> [Int32] {
        let processes = jobs.map { arguments in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: VNetCtlBinary.path)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        return processes.map { process in
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// A VM NIC asking for the network's own host address, after a valid network in the same file:
    /// exit 2, and neither the network nor the VM exists afterwards.
    @Test(arguments: [(1, "the host's own address"), (0, "the network address"), (255, "the broadcast address")])
    func aBadVMNICAfterAGoodNetworkDefinesNothing(host: Int, problem: String) throws {
        let network = TestNames.unique("pf"), vm = TestNames.unique("pfv"), octet = try TestSubnets.freeThirdOctet()
        defer {
            _ = try? Virsh.run(["undefine", vm])
            Virsh.destroyAndUndefine(network)
        }
        let file = try write(
            """
            networks:
              - { name: \(network), model: isolated, subnet: 10.123.\(octet).0/24, start: false }
            vms:
              - name: \(vm)
                start: false
                nics: [{ network: \(network), ip: 10.123.\(octet).\(host) }]
            """, named: network)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try VNetCtlBinary.run(["apply", "-f", file])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("vms.\(vm).nics[0].ip: 10.123.\(octet).\(host) is \(problem)"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!(try Virsh.networkNames(all: true)).contains(network), "the file's network was defined")
        #expect(!VirshDomains.exists(vm))
    }

    /// `apply` of three `subnet: auto` networks raced against three `define network --subnet auto`
    /// on the same pool, 20 rounds: no two of the six networks share a subnet.
    @Test func racingApplyAndDefineNeverShareASubnet() throws {
        let pool = "10.123.64.0/19"
        for round in 0..<20 {
            let fileNetworks = (0..<3).map { _ in TestNames.unique("rf") }
            let defined = (0..<3).map { _ in TestNames.unique("rd") }
            defer { for name in fileNetworks + defined { Virsh.destroyAndUndefine(name) } }
            let file = try write(
                "networks:\n" + fileNetworks.map { "  - { name: \($0), model: isolated, subnet: auto, subnet_pool: \(pool), start: false }\n" }
                    .joined(),
                named: fileNetworks[0])
            defer { try? FileManager.default.removeItem(atPath: file) }
            // The race is for subnets, not for the lock: the other tests' vnetctl processes hold it too,
            // so the four wait as long as they need rather than the default 30 s.
            let wait = ["--lock-timeout", "600"]
            let jobs = [wait + ["apply", "-f", file]]
                + defined.map { wait + ["define", "network", $0, "--model", "isolated", "--subnet", "auto", "--subnet-pool", pool] }
            let statuses = try Self.runTogether(jobs)
            #expect(statuses == [0, 0, 0, 0], "round \(round): exit statuses \(statuses) of \(jobs)")
            var subnets: [String: String] = [:]
            for name in fileNetworks + defined {
                let xml = try Virsh.output(["net-dumpxml", "--inactive", name])
                let address = try #require(xml.firstMatch(of: /address='(10\.123\.\d+)\.\d+' prefix='24'/)?.output.1, "\(xml)")
                if let other = subnets.updateValue(name, forKey: String(address)) {
                    Issue.record("round \(round): \(name) and \(other) share \(address).0/24")
                }
            }
        }
    }
}
