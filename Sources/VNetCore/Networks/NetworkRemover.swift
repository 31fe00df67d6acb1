import Libvirt

/// Stops and undefines networks, in the order libvirt needs.
public enum NetworkRemover {
    /// Stops `network` when it runs, then undefines it when it is persistent.
    public static func remove(_ network: Network) throws(VNetError) {
        do {
            if try network.isActive {
                try network.stop()
                FaultPoint.reached("stopping network '\(network.name)'")
            }
            if try network.isPersistent { try network.undefine() }
        } catch {
            throw VNetError.from(error)
        }
    }
}
