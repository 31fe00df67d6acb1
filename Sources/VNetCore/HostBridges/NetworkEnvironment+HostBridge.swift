import HostNet

extension NetworkEnvironment {
    /// Adds a bridge that does not exist yet but will before the network is defined
    /// (`define network --create-bridge`), so that planning sees it.
    public mutating func assumeHostBridge(_ name: String) {
        guard link(named: name) == nil else { return }
        links.append(HostLink(index: 0, name: name, kind: .bridge, kernelKind: "bridge", mtu: 1500, isUp: true))
    }
}
