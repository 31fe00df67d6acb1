import LibXML

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
    static func line(_ interface: XMLElement) throws -> String {
        let source = try interface.firstElement("source")
        let place: String
        switch interface.attribute("type") ?? "" {
        case "network": place = source?.attribute("network") ?? "?"
        case "bridge": place = "bridge \(source?.attribute("bridge") ?? "?")"
        // libvirt's own default mode is vepa; vnetctl always writes one.
        case "direct": place = "direct \(source?.attribute("dev") ?? "?") mode \(source?.attribute("mode") ?? "vepa")"
        case "user":
            let ip = try interface.firstElement("ip")
            place = "user" + (ip.flatMap { ip in ip.attribute("address").map { " \($0)/\(ip.attribute("prefix") ?? "24")" } } ?? "")
        case let other: place = "\(other) interface"
        }
        let model = try interface.firstElement("model")?.attribute("type") ?? VMSpec.NIC.defaultModel
        return "nic: \(place)" + (model == VMSpec.NIC.defaultModel ? "" : " model=\(model)")
    }
}
