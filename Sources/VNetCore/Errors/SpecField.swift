/// A field of a network or VM spec that a problem concerns, by its neutral name ("mtu", "dhcp range").
///
/// The library words a problem with this name; each front end names the field its own way (the
/// command line by its flag, a topology file by its key, Ansible by its argument) through a
/// `SpecFieldNames` table.
public struct SpecField: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The neutral name, as the library's own messages word it.
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// A network's MTU.
    public static let mtu = SpecField(rawValue: "mtu")
    /// A network's IPv4 subnet (a CIDR or `auto`).
    public static let subnet = SpecField(rawValue: "subnet")
    /// The pool an `auto` subnet is drawn from.
    public static let subnetPool = SpecField(rawValue: "subnet pool")
    /// A network's IPv6 subnet.
    public static let ipv6 = SpecField(rawValue: "ipv6")
    /// A network's dynamic DHCP range.
    public static let dhcpRange = SpecField(rawValue: "dhcp range")
    /// One fixed DHCP reservation (MAC, IP, hostname) of a network.
    public static let dhcpHost = SpecField(rawValue: "dhcp host")
    /// DHCP turned off for a network.
    public static let noDHCP = SpecField(rawValue: "no dhcp")
    /// A network without the host's address on its bridge.
    public static let noHostIP = SpecField(rawValue: "no host ip")
    /// A network's DNS domain.
    public static let domain = SpecField(rawValue: "domain")
    /// A network's bridge: its own, or the existing host bridge of the bridged model.
    public static let bridge = SpecField(rawValue: "bridge")
    /// A network's uplink device (routed, nat, or macvtap for bridged).
    public static let uplink = SpecField(rawValue: "uplink")
    /// The request that vnetctl create a bridged network's host bridge.
    public static let createBridge = SpecField(rawValue: "create bridge")
    /// A VM's memory size.
    public static let memory = SpecField(rawValue: "memory")
    /// A VM's virtual CPU count.
    public static let vcpus = SpecField(rawValue: "vcpus")
    /// A VM's NICs.
    public static let nic = SpecField(rawValue: "nic")
    /// The value that varies a VM's derived MACs.
    public static let macSeed = SpecField(rawValue: "mac seed")
    /// A template's own key, set by the user.
    public static let setting = SpecField(rawValue: "setting")
}

/// How one front end names spec fields: the command line by flag, a topology file by key.
///
/// A field the table leaves out keeps its neutral name.
public struct SpecFieldNames: Sendable {
    /// The front end's name of each field, as it leads a message ("--mtu", "dhcp.range").
    public var names: [SpecField: String]
    /// What the user adds to ask for a suggested field ("--create-bridge", "create_bridge: true").
    public var requests: [SpecField: String]
    /// How the user asks for an operation option, as a message words the request ("add
    /// --allow-restart", "set allow_restart: true"); an option's value follows it after a space.
    public var options: [OperationOption: String]
    /// How the user runs an operation, before the object's name ("vnetctl undefine vm"); an
    /// action the table leaves out keeps its neutral wording.
    public var actions: [OperationAction.Command: String]

    public init(
        names: [SpecField: String], requests: [SpecField: String] = [:], options: [OperationOption: String] = [:],
        actions: [OperationAction.Command: String] = [:]
    ) {
        self.names = names
        self.requests = requests
        self.options = options
        self.actions = actions
    }

    /// The front end's name of `field`.
    public func name(_ field: SpecField) -> String { names[field] ?? field.rawValue }

    /// What the user adds to ask for `field`.
    public func request(_ field: SpecField) -> String { requests[field] ?? name(field) }

    /// How the user asks for `option`; the neutral name where the table leaves it out.
    public func request(_ option: OperationOption) -> String { options[option] ?? option.rawValue }

    /// How the user runs `action`: the table's words and the object's name, or the neutral wording.
    public func request(_ action: OperationAction) -> String {
        guard let words = actions[action.command] else { return action.description }
        return words + (action.name.map { " " + $0 } ?? "")
    }
}

/// An option of a vnetctl operation, not a field of a spec, that a message asks the user to give
/// ("allow restart"), by its neutral name.
///
/// Each front end names it its own way (the command line by its flag, Ansible by the module's
/// argument) through the `options` of its `SpecFieldNames`.
public struct OperationOption: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The neutral name, as the library's own messages word it.
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// Leave to apply changes that restart a network or recreate a VM.
    public static let allowRestart = OperationOption(rawValue: "allow restart")
    /// Leave to stop or remove what running VMs use, or a running VM.
    public static let force = OperationOption(rawValue: "force")
    /// How long to wait for the host lock.
    public static let lockTimeout = OperationOption(rawValue: "lock timeout")
    /// The one host of a topology's `hosts:` to apply to, or tear down on; its value is the host.
    public static let host = OperationOption(rawValue: "host")
    /// Applying a topology's part on the host its value names, where that host's links are.
    public static let applyOnHost = OperationOption(rawValue: "apply on host")
    /// Tearing a topology's part down on the host its value names, where that host's links are.
    public static let teardownOnHost = OperationOption(rawValue: "teardown on host")
    /// A VM defined to run under TCG: its template's `virtType` set to `qemu`.
    public static let qemuVirtType = OperationOption(rawValue: "virtType qemu setting")
}

/// A message that asks for an operation option: the text before the request, the option (with
/// its value, such as the host), and the text after it.
public struct OptionRemedy: Sendable, Equatable {
    /// The message before the request ("…; nothing was changed (… recreate a VM: ").
    public var before: String
    /// The option the user gives.
    public var option: OperationOption
    /// The option's value, when it takes one ("web" of "--host web").
    public var value: String?
    /// The message after the request (")").
    public var after: String

    public init(before: String, option: OperationOption, value: String? = nil, after: String = "") {
        self.before = before
        self.option = option
        self.value = value
        self.after = after
    }

    /// The message with the option asked for as `names` words it.
    public func worded(by names: SpecFieldNames) -> String {
        before + names.request(option) + (value.map { " " + $0 } ?? "") + after
    }
}
