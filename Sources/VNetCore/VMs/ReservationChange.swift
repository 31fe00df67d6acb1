import Libvirt

/// One `virNetworkUpdate` that added a reservation, kept so it can be undone.
struct ReservationChange {
    var network: Network
    var section: NetworkUpdateSection
    var xml: String
    var flags: NetworkUpdateFlags

    /// Deletes what `changes` added, newest first; best effort, since this runs while another error is reported.
    static func undo(_ changes: [ReservationChange]) {
        for change in changes.reversed() {
            try? change.network.update(.delete, change.section, xml: change.xml, flags: change.flags)
        }
    }
}
