import Libvirt

/// The executor of `define vm`: what `VMDefiner.prepare` planned, made in libvirt.
extension VMDefiner {
    /// Adds the reservations, defines the domain and starts it as asked; undoes everything on failure.
    ///
    /// libvirt checks the XML against its domain schema as it defines: a template that renders
    /// XML it refuses is the user's input, reported by the template's path.
    ///
    /// `inventory` is the one `prepare` saw: its networks' reservations are the ones made before this VM.
    @discardableResult
    public static func define(_ definition: VMDefinition, inventory: Inventory, on connection: Connection, start: Bool)
        throws(VNetError) -> Domain
    {
        var added: [ReservationChange] = []
        var states: [String: NetworkDHCPState] = [:]
        do {
            for nic in definition.nics {
                guard let ip = nic.ip, let name = nic.network else { continue }
                let state = try states[name] ?? NetworkDHCPState(try network(named: name, in: inventory))
                states[name] = state
                // A reservation already there (made for this VM by a define that was cut off, or by
                // the user) is kept; its DNS host is still added when missing.
                if !state.reservations.contains(where: { $0.mac == nic.mac && $0.ip == ip }) {
                    let host = NetworkFacts.Host(mac: nic.mac.description, ip: ip.description, name: nic.hostname ?? "").dhcpXML
                    try state.network.update(.add, .ipDHCPHost, xml: host, flags: state.updateFlags)
                    added.append(ReservationChange(network: state.network, section: .ipDHCPHost, xml: host, flags: state.updateFlags))
                    FaultPoint.reached("reserving \(ip) in network '\(name)'")
                }
                if let hostname = nic.hostname, !state.dnsHosts.contains(where: { $0.ip == ip.description }) {
                    let dns = NetworkFacts.Host(mac: "", ip: ip.description, name: hostname).dnsXML
                    try state.network.update(.add, .dnsHost, xml: dns, flags: state.updateFlags)
                    added.append(ReservationChange(network: state.network, section: .dnsHost, xml: dns, flags: state.updateFlags))
                    FaultPoint.reached("adding DNS host \(hostname) in network '\(name)'")
                }
            }
        } catch {
            ReservationChange.undo(added)
            throw .wrapping(
                VNetError.from(error), .failure, "could not reserve the VM's addresses: ",
                "; the reservations already made were removed again")
        }
        if let overlay = definition.overlay, !overlay.adopted {
            do {
                try overlay.create(on: connection)
                FaultPoint.reached("creating disk overlay \(overlay.path)")
            } catch {
                ReservationChange.undo(added)
                throw VNetError(
                    error.kind, error.message + (added.isEmpty ? "" : "; the VM's address reservations were removed again"),
                    code: error.code, cause: error.cause)
            }
        }
        /// Removes the overlay and the reservations made above, after a later step failed.
        func undo() {
            if let overlay = definition.overlay, !overlay.adopted { try? DiskOverlay.delete(path: overlay.path, on: connection) }
            ReservationChange.undo(added)
        }
        let domain: Domain
        do {
            domain = try connection.defineDomain(xml: definition.xml, validate: true)
            FaultPoint.reached("defining VM '\(definition.name)'")
        } catch {
            undo()
            let failure = VNetError.from(error)
            let undone = [added.isEmpty ? nil : "address reservations", definition.overlay.map { $0.adopted ? nil : "disk overlay" } ?? nil].compactMap { $0 }
            let undoneNote = undone.isEmpty ? "" : "; its \(undone.joined(separator: " and ")) were removed again"
            if error.code == .xmlInvalidSchema {
                throw TemplateRenderer.refusedByLibvirt(failure, templatePath: definition.templatePath, note: undoneNote)
            }
            throw .wrapping(
                failure, failure.kind, "defining VM '\(definition.name)' failed: ", undoneNote, code: failure.code, cause: failure.cause)
        }
        guard start else { return domain }
        do {
            try domain.start()
            return domain
        } catch {
            try? domain.undefine()
            undo()
            throw .wrapping(
                VNetError.from(error), .failure, "VM '\(definition.name)' was defined but could not start: ",
                "; it and its reservations\(definition.overlay == nil ? "" : " and disk overlay") were removed again, so nothing changed")
        }
    }

    /// Starts the VM an earlier, cut-off run of the same command defined; a failure leaves it
    /// defined, as that run did.
    static func startLeftover(_ domain: Domain, _ definition: VMDefinition) throws(VNetError) {
        do {
            try domain.start()
        } catch {
            let reason = VNetError.from(error)
            let before = "VM '\(definition.name)', defined by an earlier run that was cut off, could not start: "
            // A reason that names its own action (libvirt's "not found" names the list) keeps it, worded by each front end.
            guard reason.action == nil else { throw .wrapping(reason, .failure, before) }
            throw .naming(
                .failure, before + reason.message + "; '", OperationAction(.start, .vm, named: definition.name), then: "' tries again")
        }
    }
}
