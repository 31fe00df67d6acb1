import Foundation
import Testing
import TestSupport
import VNetCore

/// 200 VMs on one network, defined one after another and by 8 vnetctl processes at once, get 200
/// distinct MACs, read back with virsh.
///
/// Every VM gets a `--mac-seed` with which it derives the same MAC as all the others (found with
/// `MACSeedSolver`, checked against vnetctl's allocator). So every define collides with the earlier
/// ones and must probe past them: without the inventory scan, or without the host lock between
/// concurrent processes, the MACs would repeat.
@Suite(.onTestThreads, .serialized)
struct VMScaleTests {
    static let count = 200

    /// A random suffix far from the ends of the 24-bit space, and for each name a seed deriving it.
    static func collidingSeeds(for names: [String]) throws -> (target: UInt32, seeds: [String]) {
        let target = UInt32.random(in: 0x10_0000...0xEF_FFFF)
        let solver = MACSeedSolver()
        let uuid = try #require(try MACSeedSolver.hostUUID())
        var seeds: [String] = []
        for name in names {
            let seed = try #require(solver.seed(vm: name, nic: 0, suffix: target, hostUUID: uuid), "no seed for \(name)")
            var allocator = MACAllocator(inventory: MACInventory(uses: [], hostUUID: uuid))
            try #require(
                allocator.allocate(vm: name, nic: 0, seed: seed, network: nil).suffix == target,
                "the seed solver no longer matches vnetctl's MAC derivation")
            seeds.append(seed)
        }
        return (target, seeds)
    }

    /// Reads every VM's MACs with virsh and checks: one NIC each, all distinct, 52:54:00, probed
    /// onward from the common derived suffix, and none reported as a duplicate by `macs --check`.
    static func checkMACs(of names: [String], target: UInt32) throws -> [String] {
        let xmls = try VirshDomains.xmls(of: names)
        #expect(xmls.count == names.count, "virsh shows \(xmls.count) of the \(names.count) VMs")
        var macs: [String] = []
        for name in names {
            guard let xml = xmls[name] else { continue }
            let found = try VirshDomains.interfaceMACs(inXML: xml)
            #expect(found.count == 1, "\(name): \(found)")
            macs += found
        }
        let distinct = Set(macs)
        #expect(distinct.count == names.count, "\(names.count) VMs have \(distinct.count) distinct MACs")
        let repeated = Dictionary(grouping: macs, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "repeated MACs: \(repeated)")
        for mac in distinct {
            guard let address = try? MACAddress(mac) else {
                Issue.record("virsh shows a malformed MAC \(mac)")
                continue
            }
            #expect(address.prefix == MACAddress.qemuPrefix, "\(mac)")
            // All derive `target`, so each probed onward from it; 2×count leaves room for others' MACs.
            #expect(address.suffix >= target && address.suffix < target + UInt32(2 * names.count), "\(mac)")
        }
        let check = try VNetCtlBinary.run(["-c", Virsh.uri, "macs", "--check", "--json"])
        let report = try VMJSON.decode(VMJSON.MACs.self, from: check.stdout)
        let ours = report.duplicates.filter { $0.contains { distinct.contains($0.mac.lowercased()) } }
        #expect(ours.isEmpty, "macs --check reports duplicates of these VMs: \(ours)")
        return macs
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    @Test func twoHundredVMsDefinedOneAfterAnotherGetDistinctMACs() throws {
        let network = try LabNetwork.make(model: .isolated)
        let base = TestNames.unique("vms")
        let names = (1...Self.count).map { String(format: "\(base)-%03d", $0) }
        defer {
            VirshDomains.destroyAndUndefine(names)
            network.remove()
        }
        let (target, seeds) = try Self.collidingSeeds(for: names)

        let clock = ContinuousClock()
        let start = clock.now
        var failures: [String] = []
        for (name, seed) in zip(names, seeds) {
            let result = try VNetCtlBinary.run(
                ["-c", Virsh.uri, "define", "vm", name, "--network", network.name, "--mac-seed", seed])
            if result.status != 0 { failures.append("\(name): \(result)") }
        }
        let elapsed = clock.now - start
        print("VMScaleTests: \(Self.count) serial `vnetctl define vm` took \(Self.seconds(elapsed))")
        #expect(failures.isEmpty, "\(failures.count) defines failed, first: \(failures.first ?? "")")

        let macs = try Self.checkMACs(of: names, target: target)
        // One after another, each define probes exactly one past the previous ones.
        let suffixes = macs.compactMap { try? MACAddress($0).suffix }.sorted()
        #expect(suffixes.first == target, "the first VM did not get the derived MAC")

        let cleanupStart = clock.now
        VirshDomains.destroyAndUndefine(names)
        print("VMScaleTests: undefining \(Self.count) VMs with virsh took \(Self.seconds(clock.now - cleanupStart))")
        #expect(try VirshDomains.names().isDisjoint(with: names))
    }

    @Test func eightConcurrentProcessesDefining25EachGetDistinctMACs() throws {
        let network = try LabNetwork.make(model: .isolated)
        let base = TestNames.unique("vmc")
        let processes = 8, perProcess = Self.count / 8
        let names = (1...processes).flatMap { p in (1...perProcess).map { String(format: "\(base)-p\(p)-%02d", $0) } }
        defer {
            VirshDomains.destroyAndUndefine(names)
            network.remove()
        }
        let (target, seeds) = try Self.collidingSeeds(for: names)
        let binary = VNetCtlBinary.path
        let scripts = (0..<processes).map { p in
            let lines = (0..<perProcess).map { i in
                let index = p * perProcess + i
                return "'\(binary)' -c \(Virsh.uri) define vm \(names[index]) --network \(network.name) "
                    + "--mac-seed \(seeds[index]) >/dev/null || fails=$((fails+1))"
            }
            return (["fails=0"] + lines + ["exit $fails"]).joined(separator: "\n")
        }

        let clock = ContinuousClock()
        let start = clock.now
        let results = try VMConcurrentShell.run(scripts)
        let elapsed = clock.now - start
        print("VMScaleTests: \(processes)×\(perProcess) concurrent `vnetctl define vm` took \(Self.seconds(elapsed))")
        for (p, result) in results.enumerated() {
            #expect(result.status == 0, "process \(p + 1): \(result.status) defines failed: \(result.stderr)")
        }
        _ = try Self.checkMACs(of: names, target: target)

        VirshDomains.destroyAndUndefine(names)
        #expect(try VirshDomains.names().isDisjoint(with: names))
    }
}
