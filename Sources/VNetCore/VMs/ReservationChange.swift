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

    /// The DHCP `<host>` XML. Its values are typed (MAC, IPv4, DNS label), so none can hold a quote or markup.
    static func host(mac: MACAddress, ip: IPv4Address, hostname: String?) -> String {
        "<host mac='\(mac)' ip='\(ip)'" + (hostname.map { " name='\($0)'" } ?? "") + "/>"
    }

    static func dnsHost(ip: IPv4Address, hostname: String) -> String {
        "<host ip='\(ip)'><hostname>\(hostname)</hostname></host>"
    }
}
