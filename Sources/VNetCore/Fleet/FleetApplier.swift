import Libvirt

/// Converges a topology file on every host it names: one inventory per host, the whole file
/// planned before the first change, then the hosts applied concurrently.
///
/// A host that cannot be reached (or fails while it is changed) fails alone: the others are
/// planned and applied, and its result says why. Invalid input on any host refuses the whole
/// file, with nothing changed anywhere.
public enum FleetApplier {
    /// Opens the connection of one host of the file.
    public typealias Opener = @Sendable (FleetHost) throws(VNetError) -> Connection
    /// Hears, before each change on a host, its number, that host's step count and the object.
    public typealias Progress = @Sendable (_ host: String, _ step: Int, _ of: Int, _ object: String) -> Void

    /// One host's state between the steps: its connection and inventory, or why it failed.
    private struct Host: Sendable {
        var host: FleetHost
        var connection: Connection?
        var inventory: Inventory?
        var plan: TopologyPlan?
        var error: VNetError?
        var notes: [String] = []
    }

    /// Plans `topology` on every host and, unless `check`, applies each host's plan; returns one
    /// result per host, in the file's order.
    ///
    /// Unless `check`, this machine's host lock is held from the first inventory read to the last
    /// change. It keeps other vnetctl processes on this machine out; on a remote host, only a
    /// vnetctl run there takes that host's lock. `lockWait` says how long it waits for the lock and who hears that it does.
    public static func converge(
        _ topology: Topology, check: Bool, prune: Bool, allowRestart: Bool, open: @escaping Opener,
        lockWait: HostLock.Wait = HostLock.Wait(), progress: @escaping Progress = { _, _, _, _ in }
    ) throws(VNetError) -> [FleetHostResult] {
        let templates = try TemplateLibrary.shipped()
        let parts = topology.parts
        var hosts = FleetConcurrency.map(parts.map(\.host)) { host -> Host in
            do {
                return Host(host: host, connection: try open(host))
            } catch {
                return Host(host: host, error: VNetError.from(error))
            }
        }
        func run() throws(VNetError) -> [FleetHostResult] {
            hosts = FleetConcurrency.map(Array(zip(hosts, parts))) { pair -> Host in
                var (host, part) = pair
                guard let connection = host.connection else { return host }
                do {
                    host.inventory = try Inventory.read(connection, TopologyPlanner.scope(of: part.topology))
                } catch {
                    host.error = VNetError.from(error)
                }
                return host
            }
            var macs = FleetMACPlan(
                inventories: Dictionary(uniqueKeysWithValues: hosts.compactMap { host in host.inventory.map { (host.host.name, $0) } }),
                explicit: topology.vms.flatMap { vm in vm.spec.nics.enumerated().compactMap { index, nic in
                    nic.mac.map { (vm.host, FleetMACPlan.use($0, of: vm.spec, nic: index)) }
                } })
            for (index, part) in parts.enumerated() {
                guard hosts[index].connection != nil, let inventory = hosts[index].inventory else { continue }
                try checkPlacement(part.topology, of: topology, inventory: inventory)
                do throws(VNetError) {
                    let bridgeElsewhere = VNetError.asking(
                        .invalidInput,
                        "\(topology.source): create_bridge makes the host bridge on this machine, not on host "
                            + "'\(part.host.name)'; converge that host's part there: ",
                        for: .applyOnHost, value: part.host.name)
                    // Another machine's link settings are not read, so its bridges cannot be planned.
                    if !inventory.host.isThisMachine, part.topology.networks.contains(where: { entry in
                        entry.createBridge && inventory.network(named: entry.spec.name) == nil
                            && !inventory.host.links.contains { $0.name == entry.spec.bridge }
                    }) {
                        throw bridgeElsewhere
                    }
                    let plan = try TopologyPlanner.plan(
                        part.topology, inventory: inventory, templates: templates, prune: prune,
                        allowRestart: allowRestart, foreignMACs: macs.foreign(to: part.host.name))
                    if !plan.hostBridges.isEmpty, inventory.host.remote { throw bridgeElsewhere }
                    macs.allocate(plan, on: part.host.name, inventory: inventory)
                    hosts[index].plan = plan
                } catch where error.kind == .invalidInput {
                    throw error
                } catch {
                    hosts[index].error = error
                }
            }
            if !check {
                let restarts = hosts.compactMap { host in
                    host.plan.flatMap { plan in
                        plan.needsRestart
                            ? "host \(host.host.name): " + plan.actions.filter { $0.outcome == .restartNeeded }.map(\.line).joined(separator: "; ")
                            : nil
                    }
                }
                if !restarts.isEmpty {
                    throw .asking(
                        .invalidInput,
                        "\(restarts.joined(separator: "; ")); nothing was changed on any host (such changes restart a network "
                            + "or recreate a VM: ",
                        for: .allowRestart, then: ")")
                }
                let planned = macs
                hosts = FleetConcurrency.map(hosts) { host -> Host in
                    guard let connection = host.connection, let inventory = host.inventory, let plan = host.plan else { return host }
                    var host = host
                    do {
                        host.notes = try TopologyApplier.apply(
                            plan, inventory: inventory, on: connection, templates: templates,
                            foreignMACs: planned.foreign(to: host.host.name), lockWait: lockWait
                        ) { step, steps, object in
                            progress(host.host.name, step, steps, object)
                        }
                    } catch {
                        host.error = VNetError.from(error)
                    }
                    return host
                }
            }
            return hosts.map { host in
                FleetHostResult(
                    host: host.host, status: host.error != nil ? .failed : check ? .checked : .converged,
                    actions: host.plan?.actions ?? [], unchecked: host.plan?.unchecked ?? [], error: host.error,
                    needsRestart: host.plan?.needsRestart ?? false, notes: host.notes)
            }
        }
        return check ? try run() : try HostLock.withLock(lockWait, run)
    }

    /// Refuses a VM whose NIC names a network the file puts on another host, when the VM's own
    /// host has no network of that name either.
    private static func checkPlacement(_ part: Topology, of topology: Topology, inventory: Inventory) throws(VNetError) {
        let local = Set(part.networks.map(\.spec.name))
        for vm in part.vms {
            for (index, network) in vm.spec.nics.map(\.network).enumerated() {
                guard let network, !local.contains(network), inventory.network(named: network) == nil,
                    let elsewhere = topology.networks.first(where: { $0.spec.name == network })
                else { continue }
                throw .invalidInput(
                    "\(topology.source):\(vm.line): vms.\(vm.spec.name).nics[\(index)].network: network '\(network)' is on "
                        + "host '\(elsewhere.host)', but VM '\(vm.spec.name)' is on host '\(vm.host)'; a VM's networks are on its "
                        + "own host: describe '\(network)' for host '\(vm.host)' too, or move the VM")
            }
        }
    }
}
