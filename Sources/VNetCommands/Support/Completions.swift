import ArgumentParser
import Libvirt
import VNetCore

/// Shell completions that ask the host for names, as `vnetctl ---completion` runs them.
///
/// They open libvirt read-only on the URI the command line gives (`-c`/`--connect`, else
/// `LIBVIRT_DEFAULT_URI`), change nothing, and offer nothing when the lookup fails.
enum Completions {
    /// Network names.
    static let networks = CompletionKind.custom { words, _, prefix in names(.network, words, prefix) }
    /// VM (domain) names.
    static let vms = CompletionKind.custom { words, _, prefix in names(.vm, words, prefix) }
    /// Names of the kind the word before names (`start network N`, `dumpxml vm N`).
    static let objects = CompletionKind.custom { words, index, prefix in
        guard index > 0, index <= words.count, let kind = ObjectKind(rawValue: words[index - 1]) else { return [] }
        return names(kind, words, prefix)
    }
    /// The shipped domain templates' names (a path is accepted too).
    static let domainTemplates = CompletionKind.custom { _, _, prefix in
        ((try? TemplateLibrary.shipped())?.entries(.domain).map(\.name) ?? []).filter { $0.hasPrefix(prefix) }
    }
    /// The host's bridges.
    static let hostBridges = CompletionKind.custom { _, _, prefix in
        ((try? HostBridgeSetup.list())?.map(\.name) ?? []).filter { $0.hasPrefix(prefix) }
    }
    /// Topology files.
    static let topologyFiles = CompletionKind.file(extensions: ["yaml", "yml", "json"])

    /// The names of `kind` on the command line's connection that start with `prefix`, sorted.
    static func names(_ kind: ObjectKind, _ words: [String], _ prefix: String) -> [String] {
        guard let connection = try? LibvirtSession.open(uri: uri(in: words), readOnly: true) else { return [] }
        let names: [String]?
        switch kind {
        case .network: names = try? connection.networks().map(\.name)
        case .vm: names = try? connection.domains().map(\.name)
        }
        return (names ?? []).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The URI after `-c` or `--connect` (or in `--connect=URI`); nil when the words give none.
    ///
    /// bash splits words at colons, so there the URI comes from `LIBVIRT_DEFAULT_URI` instead.
    static func uri(in words: [String]) -> String? {
        if let option = words.lastIndex(where: { $0 == "-c" || $0 == "--connect" }), option + 1 < words.count {
            return words[option + 1]
        }
        return words.last { $0.hasPrefix("--connect=") }.map { String($0.dropFirst("--connect=".count)) }
    }
}
