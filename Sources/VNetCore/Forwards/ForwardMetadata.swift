import LibXML

/// Port forwards as vnetctl's network metadata holds them: one
/// `<vnetctl:forward protocol= [address=] host-ports= guest= guest-ports= [vm=]/>` per forward
/// inside `<vnetctl:network>`, so `virsh net-dumpxml` shows them and they travel with the network.
public enum ForwardMetadata {
    /// The child element's local name.
    static let element = "forward"
    static let xpath = "\(VNetMetadata.networkXPath)/*[local-name()='forward' and namespace-uri()='\(VNetMetadata.namespace)']"

    /// The forwards recorded in a network document; an element that does not read as a forward is
    /// invalid input naming it.
    public static func forwards(in document: XMLDocument) throws(VNetError) -> [PortForward] {
        let elements: [XMLElement]
        do {
            elements = try document.elements(xpath)
        } catch {
            throw VNetError.from(error)
        }
        var forwards: [PortForward] = []
        for element in elements {
            let text = [element.attribute("address"), element.attribute("protocol"), element.attribute("host-ports"),
                        element.attribute("guest"), element.attribute("guest-ports")].compactMap { $0 }.joined(separator: ":")
            var forward: PortForward
            do {
                forward = try PortForward(text)
            } catch {
                throw .invalidInput("\(document.source): metadata line \(element.line): \(error.message)")
            }
            forward.vm = element.attribute("vm")
            forwards.append(forward)
        }
        return forwards
    }

    /// The template values of `forwards`: `metadata.forwards[].{protocol,address,hostPorts,guest,guestPorts,vm}`.
    static func templateValues(_ forwards: [PortForward]) -> [TemplateRenderer.Values] {
        forwards.map { forward in
            var values: TemplateRenderer.Values = [
                "protocol": forward.proto.rawValue, "hostPorts": forward.hostPorts.description,
                "guest": forward.guest?.description ?? "", "guestPorts": forward.guestPorts.description,
            ]
            values["address"] = forward.address?.description
            values["vm"] = forward.vm
            return values
        }
    }

    /// Replaces the forwards in `document`'s vnetctl metadata with `forwards`.
    static func replace(in document: XMLDocument, with forwards: [PortForward]) throws(VNetError) {
        do {
            guard let metadata = try document.firstElement(VNetMetadata.networkXPath) else {
                throw VNetError.invalidInput(
                    "\(document.source) has no vnetctl metadata, so vnetctl did not define it; forwards go on vnetctl's nat networks")
            }
            for old in try document.elements(xpath) { old.remove() }
            for forward in forwards {
                let child = metadata.addChild(element)
                child.setAttribute("protocol", forward.proto.rawValue)
                if let address = forward.address { child.setAttribute("address", address.description) }
                child.setAttribute("host-ports", forward.hostPorts.description)
                child.setAttribute("guest", forward.guest?.description ?? "")
                child.setAttribute("guest-ports", forward.guestPorts.description)
                if let vm = forward.vm { child.setAttribute("vm", vm) }
            }
        } catch {
            throw VNetError.from(error)
        }
    }
}
