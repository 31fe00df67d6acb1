/// Reads a NIC from `--network` text, in vnetctl's own syntax or virt-install's, and checks the
/// fields any NIC description gives (the topology parser builds from the same fields).
enum NICOptionParser {
    static let keys = ["network", "bridge", "type", "source", "source_mode", "model", "mac", "ip", "net", "backend"]
    /// virt-install's dotted spellings of the same fields.
    static let aliases = ["source.mode": "source_mode", "model.type": "model", "mac.address": "mac", "backend.type": "backend"]
    static let usage =
        "use NET[,ip=IP][,mac=MAC][,model=M], network=NET, bridge=BR, type=direct,source=DEV[,source_mode=MODE] or user"

    /// The fields of one NIC before they are checked, as the command line or a topology file gives them.
    struct Fields {
        var type: String?
        var network: String?
        var bridge: String?
        var source: String?
        var mode: String?
        var model: String?
        var mac: String?
        var ip: String?
        var net: String?
        var backend: String?
    }

    static func parse(_ text: String) throws(VNetError) -> VMSpec.NIC {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var fields = Fields()
        var seen: Set<String> = []
        for (index, part) in parts.enumerated() {
            guard part.contains("=") else {
                guard index == 0, !part.isEmpty else {
                    throw .invalid(.nic, "\(text): '\(part)' is not KEY=VALUE; \(usage)")
                }
                if part == "user" { fields.type = "user" } else { fields.network = part }
                seen.insert(part == "user" ? "type" : "network")
                continue
            }
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let key = aliases[pair[0]] ?? pair[0]
            guard keys.contains(key) else {
                let hint = TopologyNode.closest(to: key, in: keys).map { "did you mean '\($0)'? " } ?? ""
                throw .invalid(.nic, "\(text): unknown key '\(pair[0])'; \(hint)keys: \(keys.joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else {
                throw .invalid(.nic, "\(text): \(key) is given twice; give it once")
            }
            guard !pair[1].isEmpty else { throw .invalid(.nic, "\(text): \(key)= has no value; \(usage)") }
            switch key {
            case "type": fields.type = pair[1]
            case "network": fields.network = pair[1]
            case "bridge": fields.bridge = pair[1]
            case "source": fields.source = pair[1]
            case "source_mode": fields.mode = pair[1]
            case "model": fields.model = pair[1]
            case "mac": fields.mac = pair[1]
            case "ip": fields.ip = pair[1]
            case "net": fields.net = pair[1]
            default: fields.backend = pair[1]
            }
        }
        do {
            return try build(fields, modeKey: "source_mode")
        } catch {
            throw .invalid(.nic, "\(text): \(error.message)")
        }
    }

    /// Checks one field's value on its own, so that a topology file's error can name the field.
    static func checkValue(_ key: String, _ text: String) throws(VNetError) {
        var fields = Fields()
        switch key {
        case "ip": fields.ip = text
        case "mac": fields.mac = text
        case "model": fields.model = text
        case "mode", "source_mode":
            fields.type = "direct"
            fields.source = "eth0"
            fields.mode = text
        case "net", "backend":
            fields.type = "user"
            if key == "net" { fields.net = text } else { fields.backend = text }
        default: return
        }
        if fields.type == nil { fields.network = "network" }
        _ = try build(fields, modeKey: key)
    }

    /// The NIC the fields describe; the error's message names the field but not where it came from.
    /// `modeKey` is how the caller's syntax spells the macvtap mode.
    // Not optimized: Swift 6.3.1's CopyPropagation pass crashes on this function in release builds
    // ("Found outside of lifetime use?!"), which broke `make`; it runs once per NIC spec.
    @_optimize(none)
    static func build(_ fields: Fields, modeKey: String) throws(VNetError) -> VMSpec.NIC {
        if let backend = fields.backend {
            guard backend == "slirp" else {
                throw .invalidInput(
                    backend == "passt"
                        ? "the passt backend is not available: libvirt 9.0 refuses it; drop the backend to use user mode's SLIRP"
                        : "backend '\(backend)' is not known; user mode uses SLIRP, so drop the backend")
            }
        }
        let types = ["network", "bridge", "direct", "user"]
        var type = fields.type
        if let given = type, !types.contains(given) {
            let hint = TopologyNode.closest(to: given, in: types).map { "did you mean '\($0)'? " } ?? ""
            throw .invalidInput("type '\(given)' is not a NIC kind; \(hint)use \(types.joined(separator: ", "))")
        }
        for (key, value) in [("network", fields.network), ("bridge", fields.bridge)] where value != nil {
            if let other = type, other != key {
                throw .invalidInput("\(key) and \(other) are two kinds of NIC; give one")
            }
            type = key
        }
        if fields.backend != nil, type != "user" { throw .invalidInput("backend applies to user mode only") }
        guard let kind = type else { throw .invalidInput("names no network, bridge, direct device or user mode; \(usage)") }
        let source = kind == "network" ? fields.network ?? fields.source : kind == "bridge" ? fields.bridge ?? fields.source : fields.source
        if fields.source != nil, fields.network ?? fields.bridge != nil {
            throw .invalidInput("source and \(kind) both name the \(kind); give one")
        }
        if fields.mode != nil, kind != "direct" { throw .invalidInput("\(modeKey) applies to direct (macvtap) NICs only") }
        if fields.ip != nil, kind != "network" {
            throw .invalidInput("ip needs a libvirt network's DHCP to reserve it in; a \(kind) NIC has none, so drop ip")
        }
        if fields.net != nil, kind != "user" { throw .invalidInput("net applies to user mode only") }

        let attachment: VMSpec.NIC.Attachment
        do {
            switch kind {
            case "network":
                guard let source else { throw VNetError.invalidInput("names no network; \(usage)") }
                attachment = .network(source)
            case "bridge":
                guard let source else { throw VNetError.invalidInput("bridge needs the host bridge's name: bridge=BR") }
                attachment = .bridge(try InterfaceName(source).value)
            case "direct":
                guard let source else {
                    throw VNetError.invalidInput("a direct NIC needs the host interface for its macvtap: type=direct,source=DEV")
                }
                let modes = VMSpec.NIC.DirectMode.allCases.map(\.rawValue)
                let modeText = fields.mode ?? VMSpec.NIC.DirectMode.bridge.rawValue
                guard let mode = VMSpec.NIC.DirectMode(rawValue: modeText) else {
                    let hint = TopologyNode.closest(to: modeText, in: modes).map { "did you mean '\($0)'? " } ?? ""
                    throw VNetError.invalidInput("\(modeKey) '\(modeText)' is not a macvtap mode; \(hint)use \(modes.joined(separator: ", "))")
                }
                attachment = .direct(device: try InterfaceName(source).value, mode: mode)
            default:
                if source != nil { throw VNetError.invalidInput("user mode has no source; drop source") }
                attachment = .user(subnet: try fields.net.map { text throws in
                    let subnet = try IPv4CIDR(text)
                    guard subnet.prefix <= 30 else {
                        throw VNetError.invalidInput("net=\(text) is too small for user mode's gateway, DNS and guest; give /30 or larger")
                    }
                    return subnet
                })
            }
            let model = fields.model ?? VMSpec.NIC.defaultModel
            guard NICModel.known.contains(model) else {
                let hint = TopologyNode.closest(to: model, in: NICModel.known).map { "did you mean '\($0)'? " } ?? ""
                throw VNetError.invalidInput("model '\(model)' is not a NIC model QEMU has; \(hint)use \(NICModel.known.joined(separator: ", "))")
            }
            return VMSpec.NIC(
                attachment, model: model, ip: try fields.ip.map { try IPv4Address($0) },
                mac: try fields.mac.map { try MACAddress($0) })
        } catch let error as AddressError {
            throw .invalidInput(error.message)
        } catch {
            throw VNetError.from(error)
        }
    }
}

/// The NIC models of QEMU's x86 machines that libvirt passes through as `<model type=…>`.
enum NICModel {
    static let known = [
        "virtio", "virtio-transitional", "virtio-non-transitional", "e1000", "e1000e", "igb", "rtl8139", "ne2k_pci",
        "pcnet", "vmxnet3", "i82551", "i82557b", "i82559er",
    ]
}
