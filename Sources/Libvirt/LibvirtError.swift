/// An error reported by libvirt.
public struct LibvirtError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong (`VIR_ERR_*`).
    public var code: Code
    /// The part of libvirt that reported it (`VIR_FROM_*`).
    public var domain: ErrorDomain
    /// libvirt's message, which already names the object and the operation.
    public var message: String

    public init(code: Code, domain: ErrorDomain, message: String) {
        self.code = code
        self.domain = domain
        self.message = message
    }

    public var description: String { message }
}
