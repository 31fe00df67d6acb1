import Libvirt
import LibXML

/// Makes `define network … --autostart|--start` converge after it was cut off between defining the
/// network and starting it: a rerun finishes the network it left instead of refusing the name.
///
/// The network left is taken over only when vnetctl's metadata marks it, it lacks exactly what was
/// asked besides the define (it is stopped though `--start` was given, or not autostarted though
/// `--autostart` was), and its saved config has every setting the same command plans now (planned
/// as if that network were not there). Anything else keeps "already exists".
enum NetworkAdoption {
    /// The network to finish, with the definition it matches, or nil.
    static func leftover(
        _ spec: NetworkSpec, in environment: NetworkEnvironment, templates: TemplateLibrary, autostart: Bool, start: Bool,
        on connection: Connection
    ) throws(VNetError) -> (Network, NetworkDefinition)? {
        guard autostart || start, let network = try LibvirtLookup.existingNetwork(named: spec.name, on: connection) else {
            return nil
        }
        do {
            let stopped = try !network.isActive, manual = try !network.autostart
            guard (start && stopped) || (autostart && manual), try network.isPersistent else { return nil }
            let saved = try XMLDocument(string: try network.savedConfigXML(), source: "network \(network.name)")
            guard try saved.firstElement(VNetMetadata.networkXPath) != nil else { return nil }
            var others = environment
            others.networks.removeAll { $0.name == spec.name }
            guard let definition = try? NetworkDefiner.prepare(spec, in: others, templates: templates) else { return nil }
            let planned = try XMLDocument(string: definition.xml, source: "network \(spec.name)")
            return try NetworkFacts(saved) == NetworkFacts(planned) ? (network, definition) : nil
        } catch {
            throw VNetError.from(error)
        }
    }
}
