import HostNet

/// Checks the host interfaces that a VM's `bridge` and `direct` NICs name, before anything is defined.
///
/// libvirt would refuse them only when the VM starts (or, for a bridge that is missing, define a
/// VM that cannot start), so vnetctl says it first, from the links the inventory read. On a host
/// that is not this machine libvirt's report of its interfaces says nothing of their kinds, so
/// there libvirt is left to check them.
enum NICHostCheck {
    static func check(_ spec: VMSpec, host: HostFacts) throws(VNetError) {
        let wanted = spec.nics.compactMap { nic -> (String, Bool)? in
            switch nic.attachment {
            case .bridge(let bridge): (bridge, true)
            case .direct(let device, _): (device, false)
            case .network, .user: nil
            }
        }
        guard !wanted.isEmpty, host.isThisMachine else { return }
        for (name, isBridge) in wanted {
            guard let link = host.links.first(where: { $0.name == name }) else {
                throw isBridge
                    ? .naming(
                        .invalidInput, "bridge \(name) does not exist on this host; create it first ('",
                        OperationAction(.create, .hostBridge, named: name), then: "') or name another")
                    : .invalidInput("host interface \(name) does not exist, so no macvtap can sit on it; name an existing interface (ip link)")
            }
            if isBridge, link.kind != .bridge {
                throw .invalidInput(
                    "\(name) is a \(link.kind.rawValue) interface, not a bridge; for a macvtap on it use type=direct,source=\(name)")
            }
            if !isBridge, [.loopback, .macvtap].contains(link.kind) {
                throw .invalidInput(
                    "\(name) is a \(link.kind.rawValue) interface, which cannot carry a macvtap; "
                        + "name an Ethernet, veth, VLAN, bond or bridge interface")
            }
        }
    }
}
