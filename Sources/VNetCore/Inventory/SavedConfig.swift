import Libvirt

extension Network {
    /// The saved (inactive) config, or the live one where the driver keeps no separate saved
    /// config (libvirt's test driver refuses the inactive flag for networks).
    func savedConfigXML() throws -> String {
        do {
            return try xml(inactive: true)
        } catch let error as LibvirtError where error.code == .invalidArgument || error.code == .noSupport {
            return try xml()
        }
    }
}
