/// A failure to read, parse, query or compile XML, located in its source.
public struct XMLError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file path, or a name such as `<network template isolated>` for XML held in memory.
    public var source: String
    /// The 1-based line the failure is on, when libxml2 knows it.
    public var line: Int?
    /// What went wrong, on one line.
    public var message: String

    public init(source: String, line: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    /// `SOURCE:LINE: message`, or `SOURCE: message` without a line.
    public var description: String {
        if let line {
            return "\(source):\(line): \(message)"
        }
        return "\(source): \(message)"
    }
}
