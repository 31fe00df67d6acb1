/// A value that is not a valid address, name or plan, with a one-line message that names it
/// and says what to do.
public struct AddressError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
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
