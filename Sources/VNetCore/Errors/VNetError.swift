import Foundation

import Libvirt
import LibXML

/// A failure of a vnetctl operation, sorted into the user's mistake or the system's.
///
/// The message is one line that says what is wrong and what to do; callers print it as it is.
/// `code` tells failures apart without reading the message ("no such network" from "connection
/// lost"), and `cause` keeps libvirt's own error where there was one.
public struct VNetError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, as a library user tests for it; a struct so that codes can be added
    /// without breaking a caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A value, name or file the caller gave is wrong.
        public static let invalidValue = Code(rawValue: "invalid-value")
        /// The network, domain, pool or volume named does not exist.
        public static let notFound = Code(rawValue: "not-found")
        /// An object of that name (or that MAC, subnet, bridge) already exists.
        public static let alreadyExists = Code(rawValue: "already-exists")
        /// The host's libvirt refused a subnet that one of its links already routes.
        public static let subnetInUse = Code(rawValue: "subnet-in-use")
        /// The connection to libvirtd failed or was lost.
        public static let connection = Code(rawValue: "connection")
        /// libvirt failed to do what was asked.
        public static let libvirt = Code(rawValue: "libvirt")
        /// The host (netlink, files, locks) failed.
        public static let host = Code(rawValue: "host")
    }

    /// Whose fault the failure is, which decides the exit code of the command line.
    public enum Kind: Sendable, Equatable {
        /// The input was wrong (a value, a name, a file); nothing was changed.
        case invalidInput
        /// libvirt or the host failed to do what was asked.
        case failure
    }

    public var kind: Kind
    public var message: String
    public var code: Code
    /// libvirt's error behind this one, when libvirt reported it.
    public var cause: LibvirtError?
    /// The spec field the problem concerns, when it concerns one.
    public var field: SpecField?
    /// The message after the field's name, when the message leads with it ("10 is out of range
    /// 68-65535" of "mtu 10 is out of range 68-65535"); a front end puts its own name before it.
    public var detail: String?
    /// A field whose request would solve the problem ("or add create bridge").
    public var suggestion: SpecField?
    /// The operation option the message asks for, when it asks for one without leading with a
    /// field ("…: add allow restart"); a front end words the request its own way.
    public var remedy: OptionRemedy?
    /// The operation the message names for the user to run, when it names one ("…; choose another
    /// name or 'undefine vm web' first"); a front end words it its own way. A message that names an
    /// action and asks for an option too words the action first.
    public var action: ActionRemedy?
    /// The topology entry the problem is in (`networks[0]`), once a topology has placed it; the
    /// message then names the file and line.
    public var entry: String?

    /// An error of `kind`; without a `code`, invalid input is `invalidValue`, a failure `host`.
    public init(_ kind: Kind, _ message: String, code: Code? = nil, cause: LibvirtError? = nil) {
        self.kind = kind
        self.message = message.oneLine
        self.code = code ?? (cause.map(Self.code(of:)) ?? (kind == .invalidInput ? .invalidValue : .host))
        self.cause = cause
    }

    /// Invalid input about `field`, worded "FIELD DETAIL", such as "mtu 10 is out of range 68-65535";
    /// with a `suggestion`, "; or add SUGGESTION" follows.
    public static func invalid(_ field: SpecField, _ detail: String, suggesting suggestion: SpecField? = nil) -> VNetError {
        var error = VNetError(.invalidInput, "")
        error.field = field
        error.detail = detail.oneLine
        error.suggestion = suggestion
        error.message = error.worded(by: SpecFieldNames(names: [:]))
        return error
    }

    /// An error of `kind` whose message asks for an operation option: `before`, the request,
    /// then `after`, such as "vm 'web' is running; …, or add force to power it off and undefine it".
    public static func asking(
        _ kind: Kind, _ before: String, for option: OperationOption, value: String? = nil, then after: String = ""
    ) -> VNetError {
        VNetError(kind, "").asking(before, for: option, value: value, then: after)
    }

    /// An error of `kind` whose message names an operation to run: `before`, the action, then
    /// `after`, such as "VM 'web' already exists; choose another name or 'undefine vm web' first".
    public static func naming(
        _ kind: Kind, _ before: String, _ action: OperationAction, then after: String = "",
        code: Code? = nil, cause: LibvirtError? = nil
    ) -> VNetError {
        var error = VNetError(kind, "", code: code, cause: cause)
        error.action = ActionRemedy(before: before, action: action, after: after)
        error.message = error.worded(by: SpecFieldNames(names: [:]))
        return error
    }

    /// This error, its message going on to ask for `option`: `before`, the request, then `after`.
    public func asking(_ before: String, for option: OperationOption, value: String? = nil, then after: String = "") -> VNetError {
        var error = self
        error.remedy = OptionRemedy(before: before, option: option, value: value, after: after)
        error.message = error.worded(by: SpecFieldNames(names: [:]))
        return error
    }

    /// An error of `kind` whose message is `before`, `inner`'s message, then `after`, with the code
    /// and cause `init` gives it; an action that `inner` alone names stays named, so that each front
    /// end still words it inside the longer message.
    public static func wrapping(
        _ inner: VNetError, _ kind: Kind, _ before: String, _ after: String = "", code: Code? = nil, cause: LibvirtError? = nil
    ) -> VNetError {
        var error = VNetError(kind, before + inner.message + after, code: code, cause: cause)
        if var action = inner.action, inner.remedy == nil {
            action.before = before + action.before
            action.after += after
            error.action = action
        }
        return error
    }

    /// True when the message names an action or asks for an option, which each front end words.
    public var hasRemedy: Bool { action != nil || remedy != nil }

    /// The message with the field named as `names` names it, after `prefix`: "--mtu 10 is out of
    /// range 68-65535" for the command line; a named action and a requested operation option
    /// worded as `names` words them. Otherwise the message as it is.
    public func worded(by names: SpecFieldNames, prefix: String = "") -> String {
        if hasRemedy { return prefix + (action?.worded(by: names) ?? "") + (remedy?.worded(by: names) ?? "") }
        guard let field, let detail else { return message }
        return prefix + names.name(field) + " " + detail + (suggestion.map { "; or add \(names.request($0))" } ?? "")
    }

    /// The code libvirt's error stands for.
    ///
    /// Whatever libvirt's RPC layer reports (end of file, a closed or reset socket, a keepalive
    /// timeout) is the connection's, whichever `VIR_ERR_*` it carries.
    static func code(of error: LibvirtError) -> Code {
        switch error.code {
        case _ where error.domain == .rpc: .connection
        case .noNetwork, .noDomain, .noStoragePool, .noStorageVolume: .notFound
        case .networkExist, .domainExist: .alreadyExists
        case .noConnect, .invalidConnection, .rpc: .connection
        default: invalidInputCodes.contains(error.code) ? .invalidValue : .libvirt
        }
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
            return .naming(.invalidInput, "\(error.message); '", OperationAction(.list), then: "' shows what exists", cause: error)
        case let error as LibvirtError:
            return VNetError(invalidInputCodes.contains(error.code) ? .invalidInput : .failure, error.message, cause: error)
        case let error as XMLError:
            return .invalidInput(error.description)
        case let error as AddressError:
            return error.vnetError
        default:
            return .failure(String(describing: error))
        }
    }

    private static let invalidInputCodes: Set<LibvirtError.Code> = [
        .xmlError, .xmlDetail, .xmlInvalidSchema, .networkExist, .domainExist, .noName, .invalidArgument,
        .configUnsupported,
    ]
}

extension String {
    /// The text with its line breaks folded, so that a message stays on one line.
    var oneLine: String {
        split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
