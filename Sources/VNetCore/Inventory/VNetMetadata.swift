/// vnetctl's own `<metadata>` element, which marks the objects vnetctl defined.
///
/// libvirt 9.0 has no metadata API for networks (it arrived in 9.7), so the element is written
/// into the XML that vnetctl defines and read back with XPath.
public enum VNetMetadata {
    /// The XML namespace of vnetctl's metadata element.
    public static let namespace = "https://vnetctl.dev/xmlns/vnetctl/1"
    /// The element's name, with the namespace prefix vnetctl writes.
    public static let prefix = "vnetctl"

    /// XPath to the metadata element of a network document, whatever prefix it was written with.
    static let networkXPath =
        "/network/metadata/*[local-name()='network' and namespace-uri()='\(namespace)']"
    /// XPath to the metadata element of a domain document.
    static let domainXPath =
        "/domain/metadata/*[local-name()='domain' and namespace-uri()='\(namespace)']"
    /// The domain metadata attribute that holds the path of the disk overlay vnetctl created.
    static let overlayAttribute = "overlay"
    /// The domain metadata attribute that holds the base image of that overlay.
    static let baseAttribute = "base"
}
