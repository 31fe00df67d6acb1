import Foundation
import LibXML

/// One libvirt domain document read into the typed facts vnetctl consults: size, NICs, disks and
/// vnetctl's metadata. The one reader of domain XML.
public struct DomainConfig: Sendable, Codable, Equatable {
    /// A `<disk>`: its device kind, the guest's name for it, the file behind it.
    public struct Disk: Sendable, Codable, Equatable {
        /// disk, cdrom, floppy or lun.
        public var device: String
        public var target: String?
        public var sourceFile: String?
        /// libvirt's `<transient/>`: QEMU discards the disk's writes at power-off.
        public var transient: Bool
    }

    /// What vnetctl's `<vnetctl:domain>` element records.
    public struct Metadata: Sendable, Codable, Equatable {
        public var template: String?
        public var topology: String?
        /// The disk overlay vnetctl created, which `undefine vm` deletes.
        public var overlay: String?
        /// The base image of that overlay.
        public var base: String?
    }

    public var name: String
    public var uuid: String?
    /// `<memory>` in MiB, whatever unit it was written in.
    public var memoryMiB: Int?
    public var vcpus: Int?
    public var nics: [DomainNIC]
    public var disks: [Disk]
    public var metadata: Metadata?

    /// Reads `document`, a `<domain>`.
    public init(_ document: XMLDocument) throws(XMLError) {
        guard let root = document.root, root.name == "domain" else {
            throw XMLError(source: document.source, message: "not a <domain> document")
        }
        name = root.child("name")?.text ?? ""
        uuid = root.child("uuid")?.text
        if let memory = root.child("memory") {
            memoryMiB = Self.mebibytes(memory.text.trimmingWhitespace(), unit: memory.attribute("unit"))
        }
        vcpus = root.child("vcpu").flatMap { Int($0.text.trimmingWhitespace()) }
        let devices = root.child("devices")
        nics = devices?.children("interface").map(DomainNIC.init) ?? []
        disks = devices?.children("disk").map { disk in
            Disk(
                device: disk.attribute("device") ?? "disk", target: disk.child("target")?.attribute("dev"),
                sourceFile: disk.child("source")?.attribute("file"), transient: disk.child("transient") != nil)
        } ?? []
        if root.child("metadata") != nil, let element = try root.firstElement(VNetMetadata.domainXPath) {
            metadata = Metadata(
                template: element.attribute("template"), topology: element.attribute("topology"),
                overlay: element.attribute(VNetMetadata.overlayAttribute), base: element.attribute(VNetMetadata.baseAttribute))
        }
    }

    /// Parses `xml`, naming `source` in any syntax error; of the tree only the elements `init(_:)`
    /// reads are built (`readElements`).
    public init(xml: String, source: String) throws(XMLError) {
        try self.init(try XMLDocument(readingOnly: xml, source: source, keeping: Self.readElements))
    }

    /// The elements below `<domain>` that `init(_:)` reads; whatever it starts to read must be
    /// here too. The rest of a domain (controllers, consoles, features, clock) is not built: at
    /// 1000 domains, building and freeing it cost more than the parse.
    static let readElements: XMLElementFilter = .children([
        "name": .all, "uuid": .all, "memory": .all, "vcpu": .all, "metadata": .all,
        "devices": .children(["interface": .all, "disk": .all]),
    ])

    /// libvirt's memory units (`virScaleInteger`): bytes, decimal KB/MB/GB/TB and binary k/KiB, M/MiB, ….
    static func mebibytes(_ text: String, unit: String?) -> Int? {
        guard let value = Int(text) else { return nil }
        let bytes: Double = switch unit ?? "KiB" {
        case "b", "bytes": 1
        case "KB": 1e3
        case "k", "K", "KiB": 1024
        case "MB": 1e6
        case "M", "MiB": 1_048_576
        case "GB": 1e9
        case "G", "GiB": 1_073_741_824
        case "TB": 1e12
        case "T", "TiB": 1_099_511_627_776
        default: 1024
        }
        return Int(Double(value) * bytes / 1_048_576)
    }
}
