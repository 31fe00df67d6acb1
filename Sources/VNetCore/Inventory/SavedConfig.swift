import Libvirt

extension Network {
    /// The saved (inactive) config, or the live one where the driver keeps no separate saved
    /// config (libvirt's test driver refuses the inactive flag for networks).
    func savedConfigXML() throws(LibvirtError) -> String {
        do {
            return try xml(inactive: true)
        } catch {
            guard error.code == .invalidArgument || error.code == .noSupport else { throw error }
            return try xml()
        }
    }
}
