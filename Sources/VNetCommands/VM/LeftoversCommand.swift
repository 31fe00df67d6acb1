import ArgumentParser
import VNetCore

/// `vnetctl leftovers`: what cut-off changes left with no owner; exit 1 when there is any.
struct LeftoversCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leftovers",
        abstract: "Report reservations, disk overlays and host bridges vnetctl left with no owner.",
        discussion: """
            Reports reservations whose host name is a VM's as vnetctl writes it, with no domain of that name and \
            their MAC on no NIC or host interface; qcow2 volumes named VM.qcow2 with a backing file that no \
            domain records and no domain VM exists for; and host bridges with files carrying vnetctl's marker \
            that no libvirt network uses. Read-only: exits 1 when it finds any, 0 when none. 'undefine vm NAME' \
            releases a VM's reservations, 'virsh vol-delete' removes an overlay, 'host-bridge delete' a bridge. \
            It cannot tell a reservation made with 'define network --host' for a VM not defined yet from one a \
            cut-off define left, nor a user's own volume named like an overlay; bridges made with --persist none, \
            and on a remote connection all bridges, are not seen.
            """)

    @OptionGroup var global: GlobalOptions

    /// What `Leftovers.scan` cannot tell apart, in the command line's words (its commands and flags).
    static let limits = Leftovers.Limit.allCases.map(worded)

    /// One limit as the command line says it.
    static func worded(_ limit: Leftovers.Limit) -> String {
        switch limit {
        case .reservationBeforeItsVM:
            "a reservation made with 'define network --host' for a VM not defined yet looks the same as one a cut-off 'define vm' left"
        case .volumeNamedLikeAnOverlay:
            "a user's own qcow2 volume named VM.qcow2 with a backing file and no domain named VM looks like an overlay"
        case .unmarkedOrRemoteBridge:
            "a bridge made with --persist none has no marked file and is not seen; on a remote connection no bridge is seen"
        }
    }

    struct Report: Encodable {
        var reservations: [Leftovers.Reservation]
        var overlays: [Leftovers.Overlay]
        var bridges: [Leftovers.Bridge]
        /// What the check cannot tell.
        var limits: [String]
    }

    func run() throws {
        let found = try Leftovers.scan(try global.connection(readOnly: true))
        let report = Report(reservations: found.reservations, overlays: found.overlays, bridges: found.bridges, limits: Self.limits)
        Output.emit(report, json: global.json) {
            guard !found.isEmpty else { return "no leftovers" }
            return (found.reservations.map { "reservation in network \($0.network): \($0.ip ?? "-") \($0.mac ?? "-") for host '\($0.hostname)', no such VM" }
                + found.overlays.map { "overlay \($0.path) (pool \($0.pool), backing \($0.backing)): no domain records it" }
                + found.bridges.map { "bridge \($0.name)\($0.live ? "" : " (not live)"): no network uses it; files \($0.files.joined(separator: ", "))" })
                .joined(separator: "\n")
        }
        if !found.isEmpty { throw ExitCode(1) }
    }
}
