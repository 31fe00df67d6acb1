import FoundationEssentials
import VNetCore

/// Prints a failed command's error: one line on stderr, or with `--json` a JSON object on stdout
/// alone, so a script reads one stream.
enum ErrorReport {
    private struct Body: Encodable {
        struct Detail: Encodable {
            var kind: String
            var message: String
            var exitCode: Int32
        }
        var error: Detail
    }

    static func emit(_ error: VNetError, json: Bool) {
        if json {
            let kind = error.kind == .invalidInput ? "invalid-input" : "failure"
            Output.printJSON(Body(error: .init(kind: kind, message: error.message, exitCode: error.exitCode)))
        } else {
            StandardStreams.writeError("vnetctl: \(error.message)\n")
        }
    }
}

extension VNetError {
    /// The exit code of docs/design.md's contract: 2 for invalid input, 1 for a libvirt or host failure.
    var exitCode: Int32 { kind == .invalidInput ? 2 : 1 }
}
