import Libvirt
import LibXML

/// A network ready to define: its plan and the XML its template rendered, validated.
public struct NetworkDefinition: Sendable, Equatable {
    public var plan: NetworkPlan
    /// The template's name (shipped) or path (a user's own).
    public var template: String
    /// Where the template was read from, for messages about what it rendered.
    public var templatePath: String
    public var xml: String
}

/// The pipeline from spec to libvirt network: plan → render → parse → validate → define → start.
///
/// Nothing reaches libvirt until every step before `define` has passed (the schema check is
/// libvirt's own, in the define, where it can be), and a network that was defined but failed to
/// start is undefined again, so a failure never leaves half a network.
public enum NetworkDefiner {
    /// Plans `spec` against `environment`, renders its template and validates the XML.
    public static func prepare(_ spec: NetworkSpec, in environment: NetworkEnvironment, templates: TemplateLibrary)
        throws(VNetError) -> NetworkDefinition
    {
        let rendered = try render(spec, in: environment, templates: templates)
        try rendered.validate()
        return rendered.definition
    }

    /// A definition rendered but not yet checked against libvirt's schema, with what the check needs.
    struct Rendered {
        var definition: NetworkDefinition
        var document: XMLDocument

        /// Checks the XML against libvirt's network schema. Compiling the schema is a tenth of a
        /// short command's instructions, so only XML that is going to be defined is checked.
        func validate() throws(VNetError) {
            try TemplateRenderer.validate(document, templatePath: definition.templatePath, schema: "network")
        }
    }

    /// `prepare` without the schema check: for comparing with a network libvirt already holds,
    /// which needs the check only when the network is defined anew.
    static func render(_ spec: NetworkSpec, in environment: NetworkEnvironment, templates: TemplateLibrary)
        throws(VNetError) -> Rendered
    {
        let plan = try NetworkPlanner.plan(spec, in: environment)
        let source = try templates.source(.network, spec.templatePath ?? spec.model.rawValue)
        let values = try TemplateRenderer.merging(
            spec.settings, into: NetworkTemplateValues.values(for: plan, template: source.name, topology: spec.topology))
        try TemplateKeys.check(spec.settings, against: source)
        let document = try TemplateRenderer.render(source, values: values)
        if try ForwardMetadata.forwards(in: document) != plan.forwards {
            throw .invalidInput(
                "template \(source.name) does not write the forwards into its metadata; render metadata.forwards "
                    + "as the shipped nat template does, or drop the forwards")
        }
        return Rendered(
            definition: NetworkDefinition(
                plan: plan, template: source.name, templatePath: source.path, xml: document.serialized(formatted: true)),
            document: document)
    }

    /// Defines the network, sets autostart and starts it as asked; undoes the define when a later step fails.
    /// `firewall` as ``NetworkForwards`` takes it. With `validate`, libvirt checks the XML against
    /// its schema as it defines it (``Connection/networkDefineValidates`` or later on its host), and
    /// a refusal is invalid input that names the template.
    @discardableResult
    public static func define(
        _ definition: NetworkDefinition, on connection: Connection, autostart: Bool, start: Bool,
        firewall: NetworkForwards.Firewall = NetworkForwards.Firewall(), validate: Bool = false
    ) throws(VNetError) -> Network {
        let network: Network
        do {
            network = try connection.defineNetwork(xml: definition.xml, validate: validate)
        } catch {
            let failure = VNetError.from(error)
            guard error.code == .xmlInvalidSchema else { throw failure }
            throw TemplateRenderer.refusedByLibvirt(failure, templatePath: definition.templatePath)
        }
        FaultPoint.reached("defining network '\(network.name)'")
        return try finish(network, definition, on: connection, autostart: autostart, start: start, firewall: firewall)
    }

    /// Sets autostart and starts `network` as asked; undefines it again when that fails.
    @discardableResult
    static func finish(
        _ network: Network, _ definition: NetworkDefinition, on connection: Connection, autostart: Bool, start: Bool,
        firewall: NetworkForwards.Firewall = NetworkForwards.Firewall()
    ) throws(VNetError) -> Network {
        do {
            if autostart, !(try network.autostart) {
                try network.setAutostart(true)
                FaultPoint.reached("setting network '\(network.name)' to autostart")
            }
            if start, !(try network.isActive) { try NetworkStarter.start(network, on: connection, firewall: firewall) }
            return network
        } catch {
            try? NetworkForwards.removeRules(of: network, on: connection, firewall: firewall)
            try? network.stop()
            try? network.undefine()
            let reason = VNetError.from(error)
            throw .wrapping(
                reason, reason.kind,
                "network '\(definition.plan.name)' was defined but could not \(start ? "start" : "be set to autostart"): ",
                "; it was removed again, so nothing changed", code: reason.code, cause: reason.cause)
        }
    }

    /// Everything `define network` does, under the host lock: plan against what exists, and
    /// unless `dryRun` define (and start, autostart) it. With `createBridge`, the bridged
    /// model's host bridge (`spec.bridge`, holding `bridgeUplink` when given) is planned first
    /// and created before the define, and removed again when the define fails; `bridgeService`
    /// says what NetworkManager or systemd-networkd did with its files, as `HostBridgeSetup.create` does.
    /// A network defined with forwards on this machine gets the libvirt network hook; `hookNote` is
    /// what the user must know about it (``ForwardHook/installNote(for:isThisMachine:)``).
    /// `lockWait` says how long it waits for the lock and who hears that it does.
    public static func run(
        _ spec: NetworkSpec, on connection: Connection, autostart: Bool, start: Bool, dryRun: Bool,
        createBridge: Bool = false, bridgeUplink: String? = nil, lockWait: HostLock.Wait = HostLock.Wait()
    ) throws(VNetError) -> (definition: NetworkDefinition, hostBridge: PreparedHostBridge?, bridgeService: String?, hookNote: String?) {
        let templates = try TemplateLibrary.shipped()
        if createBridge, !dryRun { try HostBridgeSetup.requireRoot() }
        return try HostLock.withLock(lockWait) { () throws(VNetError) in
            let inventory = try Inventory.read(
                connection, Inventory.Scope(networks: .all, host: true, hostBridges: createBridge, hostIdentity: false))
            let here = inventory.host.isThisMachine
            let firewall = NetworkForwards.Firewall(isThisMachine: here, lockWait: lockWait)
            func hookNote(_ definition: NetworkDefinition) -> String? {
                definition.plan.forwards.isEmpty ? nil : ForwardHook.installNote(for: connection, isThisMachine: here)
            }
            let hostBridge = try createBridge
                ? HostBridgeSetup.prepareCreate(name: spec.bridge ?? "", uplink: bridgeUplink, host: inventory.host) : nil
            var environment = NetworkEnvironment(inventory)
            if let hostBridge { environment.assumeHostBridge(hostBridge.name) }
            // A bridge made now has no network yet; one a cut-off run left may have its network too.
            if !dryRun, hostBridge?.resumed != false,
                let (leftover, definition) = try NetworkAdoption.leftover(spec, in: environment, templates: templates,
                                                                         autostart: autostart, start: start, on: connection)
            {
                let bridgeService = try hostBridge.flatMap { (bridge) throws(VNetError) in
                    try HostBridgeSetup.create(bridge, keepingRecord: true)
                }
                try finish(leftover, definition, on: connection, autostart: autostart, start: start, firewall: firewall)
                if let hostBridge { try HostBridgeSetup.finish(hostBridge) }
                return (definition, hostBridge, bridgeService, hookNote(definition))
            }
            let reserved = MACOwnership.reservations(in: inventory)
            for host in spec.reservations {
                try MACOwnership.checkReservation(host.mac, in: spec.name, option: "\(host)", field: .dhcpHost, against: reserved)
            }
            // libvirt checks the XML as it defines it, which spares this process compiling the schema;
            // a dry run, an older libvirt, and a define that first creates a host bridge check it here.
            let rendered = try render(spec, in: environment, templates: templates)
            let libvirtChecks = !dryRun && hostBridge == nil
                && (try? connection.daemonVersion()).map { $0 >= Connection.networkDefineValidates } == true
            if !libvirtChecks { try rendered.validate() }
            let definition = rendered.definition
            guard !dryRun else { return (definition, hostBridge, nil, nil) }
            // The bridge's record stays until the network is defined and started, so that a rerun
            // after a kill in between finishes both.
            let bridgeService = try hostBridge.flatMap { (bridge) throws(VNetError) in
                try HostBridgeSetup.create(bridge, keepingRecord: true)
            }
            do throws(VNetError) {
                try define(definition, on: connection, autostart: autostart, start: start, firewall: firewall,
                           validate: libvirtChecks)
            } catch {
                if let hostBridge { try? HostBridgeSetup.undoCreate(hostBridge) }
                throw error
            }
            if let hostBridge { try HostBridgeSetup.finish(hostBridge) }
            return (definition, hostBridge, bridgeService, hookNote(definition))
        }
    }
}
