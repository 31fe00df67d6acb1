import ArgumentParser
import Foundation
import VNetCore

/// `vnetctl define vm NAME --network NIC…`: a VM whose every NIC has a MAC unique on the host.
struct DefineVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm",
        abstract: "Define a VM from a template, with unique MACs and optional reserved addresses.",
        discussion: """
            Each --network adds a NIC: NET[,ip=IP] (a libvirt network), or virt-install's network=NET, \
            bridge=BR (a tap in an existing host bridge), type=direct,source=DEV[,source_mode=bridge|vepa|\
            private|passthrough] (a macvtap on DEV) or user[,net=CIDR] (QEMU's user mode), each with \
            [,model=virtio|e1000e|rtl8139|...][,mac=MAC]. MACs are derived from the VM's name and the NIC's index (so the same \
            VM renders the same MACs), checked against every domain NIC, DHCP reservation and host interface, \
            and probed onward on a collision. ip= reserves the address for the NIC's MAC in the network's \
            DHCP and DNS, live and in the saved config. --dry-run prints the XML with its MACs and changes nothing.
            """)

    @Argument(help: "The VM's name.")
    var name: String

    @Option(name: .customLong("network"),
            help: "A NIC: NET[,ip=IP], bridge=BR, type=direct,source=DEV[,source_mode=M] or user; [,model=M][,mac=MAC] (repeatable).",
            completion: Completions.networks, transform: { try VMSpec.NIC($0) })
    var nics: [VMSpec.NIC] = []

    @Option(help: "A shipped template (pxe, disk) or the path of your own.", completion: Completions.domainTemplates)
    var template = "pxe"

    @Option(help: "Memory: 256MiB, 1GiB, ...", transform: { try MemorySize.mebibytes($0) })
    var memory = 256

    @Option(help: "Virtual CPUs.")
    var vcpus = 1

    @Option(name: .customLong("mac-seed"), help: "Vary the derived MACs (e.g. to give a re-created VM new ones).")
    var macSeed: String?

    @Option(name: .customLong("set"), help: "Template value KEY=VALUE, e.g. disk.base=/path/base.qcow2 (repeatable).",
            transform: NetworkSpecParsing.setting)
    var settings: [NetworkSpecParsing.Setting] = []

    @Flag(help: "Start the VM now.")
    var start = false

    @Option(name: .customLong("wait-ip"),
            help: "With --start: wait up to SECONDS for every NIC's DHCP lease, then print the addresses.")
    var waitIP: Int?

    @Flag(name: .customLong("dry-run"), help: "Print the XML (MACs assigned) and change nothing.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if waitIP != nil, !start { throw ValidationError("--wait-ip needs --start") }
        if let waitIP, waitIP <= 0 { throw ValidationError("--wait-ip takes a positive number of seconds") }
        if waitIP != nil, !nics.contains(where: { $0.network != nil }) {
            throw ValidationError("--wait-ip waits for leases from libvirt networks, and no --network names one; drop --wait-ip")
        }
    }

    func run() throws {
        let connection = try global.connection(readOnly: dryRun)
        let spec = VMSpec(
            name: name, nics: nics, template: template, memoryMiB: memory, vcpus: vcpus, macSeed: macSeed,
            settings: Dictionary(settings.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }))
        let definition = try VMDefiner.run(
            spec, on: connection, start: start, dryRun: dryRun, lockWait: global.lockWait)
        var report = DefinedVMReport(definition: definition, dryRun: dryRun, started: start && !dryRun)
        if let waitIP, !dryRun {
            // On a terminal, what it waits for and each address as it comes; nothing otherwise.
            let onTerminal = !global.json && isatty(STDERR_FILENO) == 1
            let (nics, name) = (definition.nics, name)
            report.leases = try BlockingWait.run {
                try await LeaseWaiter.wait(for: nics, of: name, on: connection, timeout: .seconds(waitIP)) { line in
                    if onTerminal { StandardStreams.writeError("… \(line)\n") }
                }
            }
        }
        Output.emit(report, json: global.json) {
            dryRun ? definition.xml.trimmingTrailingNewline : report.text
        }
    }
}

/// What `define vm` reports.
struct DefinedVMReport: Encodable {
    var definition: VMDefinition
    var dryRun: Bool
    var started: Bool
    var leases: [LeaseWaiter.Lease]?

    enum CodingKeys: String, CodingKey {
        case name, template, nics, dryRun, started, leases, xml
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(definition.name, forKey: .name)
        try container.encode(definition.template, forKey: .template)
        try container.encode(definition.nics, forKey: .nics)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(started, forKey: .started)
        try container.encodeIfPresent(leases, forKey: .leases)
        try container.encode(definition.xml, forKey: .xml)
    }

    var text: String {
        var lines = ["defined vm \(definition.name) from template \(definition.template)\(started ? "; started" : "")"]
        for nic in definition.nics {
            var line = "  nic \(nic.mac) \(nic.placement)" + (nic.model == VMSpec.NIC.defaultModel ? "" : ", model \(nic.model)")
            if let ip = nic.ip { line += ", reserved \(ip)" + (nic.hostname.map { " (\($0))" } ?? "") }
            if let lease = leases?.first(where: { $0.mac == nic.mac.description }) { line += ", leased \(lease.address)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
