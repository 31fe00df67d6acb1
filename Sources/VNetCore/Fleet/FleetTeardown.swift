import Libvirt

/// Removes what a topology file made on every host it names, the hosts concurrently; a host that
/// cannot be reached fails alone, and a later teardown removes the rest.
public enum FleetTeardown {
    /// Plans each host's teardown (what `TopologyTeardown` would remove there) and, unless
    /// `check`, carries it out; one result per host, in the file's order. Unless `check`, this
    /// machine's host lock is held throughout (remote hosts' locks are not taken); `lockWait`
    /// says how long it waits for it and who hears that it does.
    public static func teardown(
        _ topology: Topology, force: Bool, check: Bool, open: @escaping FleetApplier.Opener,
        lockWait: HostLock.Wait = HostLock.Wait()
    ) throws(VNetError) -> [FleetHostResult] {
        func run() -> [FleetHostResult] {
            FleetConcurrency.map(topology.parts) { host, part -> FleetHostResult in
                var actions: [TopologyAction] = []
                do {
                    let connection = try open(host)
                    let plan = TopologyTeardown.plan(part, inventory: try Inventory.read(connection, [.networks, .domains]), force: force)
                    actions = plan.actions
                    if !check { try TopologyTeardown.execute(plan, on: connection, lockWait: lockWait) }
                    return FleetHostResult(host: host, status: check ? .checked : .converged, actions: actions)
                } catch {
                    return FleetHostResult(host: host, status: .failed, actions: actions, error: VNetError.from(error))
                }
            }
        }
        return check ? run() : try HostLock.withLock(lockWait, run)
    }
}
