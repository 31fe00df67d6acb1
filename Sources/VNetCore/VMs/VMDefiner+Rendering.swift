import Foundation
import LibXML

/// The domain document of a new VM: the template's values, the MACs put into its interfaces, and
/// the disk overlay noted in vnetctl's metadata.
extension VMDefiner {
    /// Notes the overlay and its base in vnetctl's metadata, where `undefine vm` finds the overlay
    /// to delete it and `apply` the base to compare. Returns nil, and nothing is created, when the
    /// template does not use the overlay (`disk.overlay`).
    static func record(_ overlay: DiskOverlay, in document: XMLDocument, template: String) throws(VNetError)
        -> DiskOverlay?
    {
        let sources: [String], metadata: XMLElement?
        do {
            sources = try document.strings("/domain/devices/disk/source/@file")
            metadata = try document.firstElement(VNetMetadata.domainXPath)
        } catch {
            throw VNetError.from(error)
        }
        guard sources.contains(overlay.path) else { return nil }
        guard let metadata else {
            throw .invalidInput(
                "template \(template) uses disk.overlay but has no vnetctl metadata element, so 'undefine vm' could not "
                    + "find the overlay to delete; copy the <vnetctl:domain> element of the shipped disk template")
        }
        metadata.setAttribute(VNetMetadata.overlayAttribute, overlay.path)
        metadata.setAttribute(VNetMetadata.baseAttribute, overlay.base)
        return overlay
    }

    static func templateValues(_ spec: VMSpec, template: String) -> TemplateRenderer.Values {
        var metadata: TemplateRenderer.Values = [
            "namespace": VNetMetadata.namespace, "template": template, "version": ToolInfo.version,
        ]
        metadata["topology"] = spec.topology
        return [
            "name": spec.name,
            "virtType": FileManager.default.isWritableFile(atPath: "/dev/kvm") ? "kvm" : "qemu",
            "memoryMiB": String(spec.memoryMiB),
            "vcpus": String(spec.vcpus),
            "nics": spec.nics.map(nicValues),
            "metadata": metadata,
        ]
    }

    /// One entry of the template's `nics`: `type` and `model`, and `network`, `bridge`, `direct`
    /// (`device`, `mode`) or `user` (`address`, `prefix` of its net) by kind.
    static func nicValues(_ nic: VMSpec.NIC) -> TemplateRenderer.Values {
        var values: TemplateRenderer.Values = ["type": nic.attachment.type, "model": nic.model]
        switch nic.attachment {
        case .network(let name): values["network"] = name
        case .bridge(let bridge): values["bridge"] = bridge
        case .direct(let device, let mode): values["direct"] = ["device": device, "mode": mode.rawValue]
        case .user(let subnet):
            values["user"] = subnet.map { ["address": $0.network.description, "prefix": String($0.prefix)] } ?? [:]
        }
        return values
    }

    /// Gives each `<interface>` without a `<mac>` the planned MAC of its NIC (in order), checks the
    /// MACs a template wrote itself, and checks that every network an interface names exists.
    static func assignMACs(
        _ document: XMLDocument, nics: [VMDefinition.NIC], spec: VMSpec, allocator: inout MACAllocator,
        inventory: Inventory
    ) throws(VNetError) -> [VMDefinition.NIC] {
        let interfaces: [XMLElement]
        do {
            interfaces = try document.elements("/domain/devices/interface")
        } catch {
            throw VNetError.from(error)
        }
        var result: [VMDefinition.NIC] = []
        for (index, interface) in interfaces.enumerated() {
            let network = (try? interface.firstElement("source"))??.attribute("network")
            if let network, network != nics[safe: index]?.network {
                _ = try Self.network(named: network, in: inventory)
            }
            if let existing = (try? interface.firstElement("mac"))??.attribute("address") {
                let mac: MACAddress
                do {
                    mac = try MACAddress(existing)
                } catch {
                    throw .invalidInput("template \(spec.template): interface \(index + 1) has a bad MAC: \(error.message)")
                }
                if nics[safe: index]?.mac != mac { try allocator.take(mac, vm: spec.name, network: network) }
                result.append(nics[safe: index].map { planned in
                    var nic = planned
                    nic.mac = mac
                    return nic
                } ?? .init(templateInterface: interface, mac: mac))
                continue
            }
            let nic = nics[safe: index]
                ?? .init(
                    templateInterface: interface,
                    mac: allocator.allocate(vm: spec.name, nic: index, seed: spec.macSeed, network: network))
            interface.addChild("mac").setAttribute("address", nic.mac.description)
            result.append(nic)
        }
        if interfaces.count < nics.count {
            throw .invalidInput(
                "template \(spec.template) renders \(interfaces.count) <interface> element(s) for \(nics.count) NIC(s); "
                    + "render one per entry of 'nics'")
        }
        return result
    }
}

extension VMDefinition.NIC {
    /// A NIC that a user's template renders beyond the spec's, as its `<interface>` says.
    init(templateInterface interface: XMLElement, mac: MACAddress) {
        let source = (try? interface.firstElement("source")) ?? nil
        let type = interface.attribute("type") ?? "network"
        let model = ((try? interface.firstElement("model")) ?? nil)?.attribute("type") ?? VMSpec.NIC.defaultModel
        switch type {
        case "bridge": self.init(.bridge(source?.attribute("bridge") ?? "-"), model: model, mac: mac)
        case "direct":
            let mode = VMSpec.NIC.DirectMode(rawValue: source?.attribute("mode") ?? "") ?? .vepa
            self.init(.direct(device: source?.attribute("dev") ?? "-", mode: mode), model: model, mac: mac)
        case "user": self.init(.user(subnet: nil), model: model, mac: mac)
        default: self.init(.network(source?.attribute("network") ?? "-"), model: model, mac: mac)
        }
        kind = type
    }
}
