/// Decodes a value that is encoded as its text form, reporting a parse failure as corrupted data.
func decodeText<Value>(
    from decoder: any Decoder, _ parse: (String) throws(AddressError) -> Value
) throws -> Value {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
        return try parse(text)
    } catch {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
}

/// Encodes a value as its text form.
func encodeText(_ value: some CustomStringConvertible, to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(value.description)
}
