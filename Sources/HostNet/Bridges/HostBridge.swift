/// Creates, deletes and lists host bridges for libvirt's bridged model, through netlink.
///
/// Planning checks the request against the host's links and their settings, read beforehand
/// (``HostNetwork/links()``, ``HostNetwork/linkSettings(of:)``), and reads nothing itself; executing
/// runs the plan's steps and, when one fails, the inverses of the steps done so far in reverse order.
public enum HostBridge {
    /// The valid MTUs of a bridge (`ETH_MIN_MTU` to `ETH_MAX_MTU`).
    public static let mtuRange = 68...65535
    /// The forward delays the kernel accepts with STP on (with STP off it also accepts 0 and 1).
    public static let stpForwardDelayRange = 2...30

    /// Checks a bridge name: 1 to 15 characters of letters, digits, `.`, `_`, `-`, not `.` or `..`.
    ///
    /// Stricter than the kernel (which takes any byte but `/`, `:` and white space) because the
    /// name also becomes a file name and a value in the persistent configuration.
    public static func validateName(_ name: String, what: String = "bridge name") throws(HostBridgeError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard !name.isEmpty, name.utf8.count <= 15, allowed, name != ".", name != ".." else {
            throw .invalidInput(
                "invalid \(what) '\(name)': use 1 to 15 letters, digits, '.', '_' or '-'")
        }
    }

    /// Plans `host-bridge create`: checks the request against the host's `links` and takes the
    /// uplink's addresses and routes from `settings`.
    public static func planCreate(
        _ request: HostBridgeRequest, links: [HostLink], settings linkSettings: HostLinkSettings
    ) throws(HostBridgeError) -> HostBridgePlan {
        try validateName(request.name)
        if let mtu = request.mtu, !mtuRange.contains(mtu) {
            throw .invalidInput("MTU \(mtu) is out of range: a bridge's MTU is \(mtuRange.lowerBound) to \(mtuRange.upperBound)")
        }
        let delays = request.stp ? stpForwardDelayRange : 0...stpForwardDelayRange.upperBound
        guard delays.contains(request.forwardDelay) else {
            throw .invalidInput(
                "forward delay \(request.forwardDelay) is out of range: \(delays.lowerBound) to \(delays.upperBound) seconds with STP \(request.stp ? "on" : "off")")
        }
        if let existing = links.first(where: { $0.name == request.name }) {
            throw .invalidInput(
                "\(request.name) already exists (a \(existing.kind.rawValue) link); choose another name or delete it first")
        }
        var settings = HostBridgeSettings(name: request.name, mtu: request.mtu, stp: request.stp, forwardDelay: request.forwardDelay)
        guard let uplinkName = request.uplink else {
            return .creating(settings, uplink: nil, addresses: [], routes: [])
        }
        try validateName(uplinkName, what: "uplink name")
        guard let uplink = links.first(where: { $0.name == uplinkName }) else {
            throw .invalidInput("no network interface named \(uplinkName); 'ip link' lists them")
        }
        switch uplink.kind {
        case .bridge:
            throw .invalidInput("uplink \(uplinkName) is a bridge itself; give the NIC to enslave")
        case .loopback:
            throw .invalidInput("uplink \(uplinkName) is a loopback device and cannot join a bridge")
        case .wireless:
            throw .invalidInput("uplink \(uplinkName) is a wireless NIC, which cannot be bridged; use a routed or NAT network")
        default:
            break
        }
        if let master = uplink.masterIndex {
            let owner = links.first { $0.index == master }?.name ?? "link \(master)"
            throw .invalidInput("uplink \(uplinkName) is already a port of \(owner); take it out first")
        }
        guard let mac = uplink.mac else {
            throw .invalidInput("uplink \(uplinkName) is not an Ethernet device and cannot join a bridge")
        }
        settings.mac = mac
        settings.mtu = request.mtu ?? uplink.mtu
        let addresses = (linkSettings.addresses[uplinkName] ?? []).filter { !$0.isLinkLocal }
        let routes = linkSettings.routes[uplinkName] ?? []
        return .creating(settings, uplink: uplinkName, addresses: addresses, routes: routes)
    }

    /// Plans `host-bridge delete`: the bridge's addresses and routes go back to its uplink, the port
    /// whose MAC the bridge carries (or its only port that is not a tap). Takes the bridge's
    /// addresses, routes, STP and forward delay from `settings`.
    public static func planDelete(
        _ name: String, links: [HostLink], settings linkSettings: HostLinkSettings
    ) throws(HostBridgeError) -> HostBridgePlan {
        try validateName(name)
        guard let bridge = links.first(where: { $0.name == name }) else {
            throw .invalidInput("no network interface named \(name)", suggesting: .listingShowsTheBridges)
        }
        guard bridge.kind == .bridge else {
            throw .invalidInput("\(name) is not a bridge (it is a \(bridge.kind.rawValue) link)")
        }
        let ports = links.filter { $0.masterIndex == bridge.index }
        let candidates = ports.filter { $0.kind != .tun }
        let uplink = candidates.first { $0.mac != nil && $0.mac == bridge.mac }
            ?? (candidates.count == 1 ? candidates[0] : nil)
        let settings = HostBridgeSettings(
            name: name, mac: bridge.mac, mtu: bridge.mtu,
            stp: linkSettings.stp[name] ?? false, forwardDelay: linkSettings.forwardDelay[name] ?? 0)
        var addresses: [HostAddressSetting] = []
        var routes: [HostRouteSetting] = []
        if uplink != nil {
            addresses = (linkSettings.addresses[name] ?? []).filter { !$0.isLinkLocal }
            routes = linkSettings.routes[name] ?? []
        }
        return .deleting(
            settings, isUp: bridge.isUp, ports: ports.map(\.name), uplink: uplink?.name, addresses: addresses,
            routes: routes)
    }

    /// Runs the plan's steps that are not in effect yet (all of them, on a host the plan was read
    /// from); when one fails, undoes the ones this call did, newest first, and throws what failed
    /// and whether the undoing worked. `afterStep` hears each step once it holds on the host: the
    /// caller's hook for killing the process at a step boundary in tests.
    ///
    /// Skipping what is in effect makes a rerun of a plan cut off by a kill finish it.
    public static func execute(_ plan: HostBridgePlan, afterStep: (HostBridgeStep) -> Void = { _ in }) throws(HostBridgeError) {
        try execute(plan.steps, afterStep: afterStep)
    }

    /// Undoes a plan that was executed, wholly or in part: the inverses of its steps, newest first,
    /// those not in effect yet.
    public static func undo(_ plan: HostBridgePlan, afterStep: (HostBridgeStep) -> Void = { _ in }) throws(HostBridgeError) {
        try execute(plan.steps.reversed().map(\.inverse), afterStep: afterStep)
    }

    static func execute(_ steps: [HostBridgeStep], afterStep: (HostBridgeStep) -> Void) throws(HostBridgeError) {
        var done: [HostBridgeStep] = []
        for step in steps {
            do {
                if try !step.isInEffect() {
                    try step.perform()
                    done.append(step)
                }
            } catch {
                var problems: [String] = []
                for finished in done.reversed() {
                    do {
                        try finished.inverse.perform()
                    } catch {
                        problems.append("\(finished.inverse) failed: \(error)")
                    }
                }
                guard problems.isEmpty else {
                    throw .failure(
                        "\(step) failed: \(error); undoing the steps before it was incomplete (\(problems.joined(separator: "; ")))",
                        suggesting: .checkTheListing)
                }
                throw .failure("\(step) failed: \(error); the \(done.count) step(s) before it were undone")
            }
            afterStep(step)
        }
    }

    static func reading<T>(_ body: () throws -> T) throws(HostBridgeError) -> T {
        do {
            return try body()
        } catch {
            throw .failure(String(describing: error))
        }
    }
}
