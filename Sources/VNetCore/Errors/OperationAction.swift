/// An operation that a message asks the user to run ("undefine vm web", "list networks"), by its
/// neutral parts: a verb, the kind of object, and the object's name.
///
/// The library words it neutrally; each front end words it its own way (the command line as the
/// vnetctl command, Ansible by the module's arguments where it has them) through the `actions` of
/// its `SpecFieldNames`, so no front end's commands are written into the library's messages.
public struct OperationAction: Hashable, Sendable, CustomStringConvertible {
    /// What is done.
    public struct Verb: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let list = Verb(rawValue: "list")
        public static let start = Verb(rawValue: "start")
        public static let stop = Verb(rawValue: "stop")
        public static let undefine = Verb(rawValue: "undefine")
        public static let create = Verb(rawValue: "create")
        public static let delete = Verb(rawValue: "delete")
        /// Bringing the host to a topology.
        public static let apply = Verb(rawValue: "apply")
        /// Running the front end itself (the vnetctl command, the Ansible module), where a message
        /// says, such as on the host a remote connection reaches.
        public static let run = Verb(rawValue: "run")
    }

    /// The kind of object it is done to, by its neutral singular name.
    public struct Object: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let network = Object(rawValue: "network")
        public static let vm = Object(rawValue: "vm")
        public static let hostBridge = Object(rawValue: "host bridge")
    }

    /// The verb and the kind without the name: what a front end's table words.
    public struct Command: Hashable, Sendable {
        public var verb: Verb
        public var object: Object?
        public init(_ verb: Verb, _ object: Object? = nil) {
            self.verb = verb
            self.object = object
        }
    }

    public var command: Command
    /// The one object it is done to; nil for every object of the kind ("list networks").
    public var name: String?

    public init(_ verb: Verb, _ object: Object? = nil, named name: String? = nil) {
        command = Command(verb, object)
        self.name = name
    }

    /// The neutral wording: "undefine vm web", "list networks", "list".
    public var description: String {
        let object = command.object.map { name == nil ? " \($0.rawValue)s" : " \($0.rawValue)" } ?? ""
        return command.verb.rawValue + object + (name.map { " " + $0 } ?? "")
    }
}

/// A message that names an operation for the user to run: the text before it, the action, and
/// the text after it. Quotes around the action, where the sentence wants them, are in the text.
public struct ActionRemedy: Sendable, Equatable {
    /// The message before the action ("VM 'web' already exists; choose another name or '").
    public var before: String
    /// The operation the user runs.
    public var action: OperationAction
    /// The message after the action ("' first").
    public var after: String

    public init(before: String, action: OperationAction, after: String = "") {
        self.before = before
        self.action = action
        self.after = after
    }

    /// The message with the action worded as `names` words it.
    public func worded(by names: SpecFieldNames) -> String { before + names.request(action) + after }
}
