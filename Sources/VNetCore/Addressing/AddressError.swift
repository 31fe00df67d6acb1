/// A value that is not a valid address, name or plan, with a one-line message that names it
/// and says what to do.
public struct AddressError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// The spec field the value belongs to, when the message leads with its name.
    public let field: SpecField?
    /// The message after the field's name.
    public let detail: String?

    init(_ message: String) {
        self.message = message
        field = nil
        detail = nil
    }

    /// The error about `field`, worded "FIELD DETAIL".
    init(_ field: SpecField, _ detail: String) {
        message = "\(field) \(detail)"
        self.field = field
        self.detail = detail
    }

    /// The same problem as invalid input, keeping its field for the front ends to name.
    public var vnetError: VNetError {
        guard let field, let detail else { return .invalidInput(message) }
        return .invalid(field, detail)
    }

    public var description: String { message }

    /// The error for text that does not parse as `kind`, e.g. "'10.1.1.256' is not a valid IPv4 address: …".
    static func invalid(_ text: some StringProtocol, as kind: String, _ reason: Reason) -> AddressError {
        AddressError("'\(text)' is not a valid \(kind): \(reason.text)")
    }

    /// Why a piece of text does not parse, before the caller says what the whole text was meant to be.
    struct Reason: Error {
        let text: String

        init(_ text: String) {
            self.text = text
        }
    }
}
