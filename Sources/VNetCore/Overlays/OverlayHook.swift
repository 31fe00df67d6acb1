import Foundation
import HostNet
import LibXML

/// What the libvirt network hook does for overlays: libvirt makes a new bridge each time it starts
/// the gateway's network, so the overlay's VXLAN link is plugged into it again.
///
/// What to plug is recorded on the VXLAN link itself, in its interface alias (which names the
/// bridge), rather than in the network's metadata: the link outlives the bridge, so a network
/// restarted by hand (`virsh net-destroy`, `net-start`) or by libvirtd gets back exactly the links
/// vnetctl made for it, and the hook needs nothing but netlink.
enum OverlayHook {
    static func plugPorts(fromHookData input: Data, network: String) throws(VNetError) {
        let bridge: String?
        do {
            let data = try XMLDocument(string: String(decoding: input, as: UTF8.self), source: "hook data of network \(network)")
            bridge = try data.firstElement("/hookData/network/bridge | /network/bridge")?.attribute("name")
        } catch {
            throw VNetError.from(error)
        }
        guard let bridge else { return }
        do {
            _ = try HostOverlay.plugPorts(into: bridge)
        } catch {
            throw .failure("cannot plug the overlay's VXLAN link into \(bridge): \(error)")
        }
    }
}
