/// One problem libxml2 reported, such as a schema violation, with its line.
public struct XMLDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of the offending node, when libxml2 knows it.
    public var line: Int?
    /// libxml2's message, without the trailing newline.
    public var message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    /// `LINE: message`, or just the message without a line.
    public var description: String {
        line.map { "\($0): \(message)" } ?? message
    }
}
