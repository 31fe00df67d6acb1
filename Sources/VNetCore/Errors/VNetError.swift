import Foundation

import Libvirt
import LibXML

/// A failure of a vnetctl operation, sorted into the user's mistake or the system's.
///
/// The message is one line that says what is wrong and what to do; callers print it as it is.
public struct VNetError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Whose fault the failure is, which decides the exit code of the command line.
    public enum Kind: Sendable, Equatable {
        /// The input was wrong (a value, a name, a file); nothing was changed.
        case invalidInput
        /// libvirt or the host failed to do what was asked.
        case failure
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message.oneLine
    }

    public static func invalidInput(_ message: String) -> VNetError { VNetError(.invalidInput, message) }
    public static func failure(_ message: String) -> VNetError { VNetError(.failure, message) }

    public var description: String { message }

    /// Sorts any error from the layers below into a `VNetError`.
    ///
    /// libvirt reports a missing object, an existing name and bad XML with error codes of its
    /// own; those are the user's input, everything else libvirt says is a failure.
    public static func from(_ error: any Error) -> VNetError {
        switch error {
        case let error as VNetError:
            return error
        case let error as LibvirtError where error.code == .noNetwork || error.code == .noDomain:
            return .invalidInput("\(error.message); 'vnetctl list' shows what exists")
        case let error as LibvirtError:
            return VNetError(invalidInputCodes.contains(error.code) ? .invalidInput : .failure, error.message)
        case let error as XMLError:
            return .invalidInput(error.description)
        case let error as AddressError:
            return .invalidInput(error.message)
        default:
            return .failure(String(describing: error))
        }
    }

    private static let invalidInputCodes: Set<LibvirtError.Code> = [
        .xmlError, .xmlDetail, .networkExist, .domainExist, .noName, .invalidArgument,
        .configUnsupported,
    ]
}

extension String {
    /// The text with its line breaks folded, so that a message stays on one line.
    var oneLine: String {
        split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
