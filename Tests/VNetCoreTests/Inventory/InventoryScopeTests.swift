import Libvirt
import Testing
import VNetCore

/// A command reads only what its scope names, from one list call per kind, on libvirt's test driver.
struct InventoryScopeTests {
    @Test func aNamedDomainIsReadAloneAndItsNetworksAfter() throws {
        let stopped = "scope-off-\(UInt32.random(in: 0...UInt32.max))"
        _ = try TestDriver.domain(named: stopped)
        var inventory = try Inventory.read(TestDriver.connection, Inventory.Scope(domains: .named(["test", "scope-none"])))
        #expect(inventory.domains.map(\.name) == ["test"])
        #expect(inventory.networks.isEmpty)
        let entry = try #require(inventory.domain(named: "test"))
        #expect(entry.state == .running && entry.persistent && entry.live != nil)
        #expect(entry.networkNames == ["default"])
        try inventory.add(Inventory.Scope(networks: .named(entry.networkNames), domains: .named(["test", stopped])), from: TestDriver.connection)
        #expect(inventory.networks.map(\.name) == ["default"])
        #expect(inventory.domains.map(\.name) == [stopped, "test"].sorted())
    }

    @Test func activeDomainsAreTheRunningOnesAndAllHasTheStoppedOnesShutOff() throws {
        let stopped = "scope-all-\(UInt32.random(in: 0...UInt32.max))"
        _ = try TestDriver.domain(named: stopped)
        let active = try Inventory.read(TestDriver.connection, Inventory.Scope(domains: .active))
        let running = active.domains.filter(\.active)
        #expect(running.count == active.domains.count)
        #expect(active.domain(named: stopped) == nil)
        let all = try Inventory.read(TestDriver.connection, Inventory.Scope(domains: .all))
        let entry = try #require(all.domain(named: stopped))
        #expect(entry.state == .shutoff && entry.persistent && entry.live == nil)
        #expect(all.domain(named: "test")?.state == .running)
    }
}
