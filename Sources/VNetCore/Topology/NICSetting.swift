/// A NIC as one `nic:` line of the settings `apply` compares: the same text for a spec and for the
/// `<interface>` libvirt saved from it.
///
/// A NIC on a libvirt network reads `nic: NET` (as before the other kinds existed, so VMs defined
/// then compare unchanged); the others read `nic: bridge BR`, `nic: direct DEV mode M`,
/// `nic: user [NET/PREFIX]`. A model other than virtio adds ` model=M`.
enum NICSetting {
    static func line(_ nic: VMSpec.NIC) -> String {
        let place = nic.network ?? nic.attachment.summary
        return "nic: \(place)" + (nic.model == VMSpec.NIC.defaultModel ? "" : " model=\(nic.model)")
    }

    /// The line of a saved `<interface>`; an interface without `<model>` reads as virtio, which is
    /// what vnetctl's templates write.
    static func line(_ nic: DomainNIC) -> String {
        let place: String
        switch nic.kind {
        case "network": place = nic.source.network ?? "?"
        case "bridge": place = "bridge \(nic.source.bridge ?? "?")"
        // libvirt's own default mode is vepa; vnetctl always writes one.
        case "direct": place = "direct \(nic.source.dev ?? "?") mode \(nic.source.mode ?? "vepa")"
        case "user": place = "user" + (nic.userNet.map { " \($0)" } ?? "")
        case let other: place = "\(other) interface"
        }
        let model = nic.model ?? VMSpec.NIC.defaultModel
        return "nic: \(place)" + (model == VMSpec.NIC.defaultModel ? "" : " model=\(model)")
    }
}
