import Foundation

/// Everything a failed `vnetctl define network` must leave as it was, read through virsh and `ip`
/// (never through vnetctl): every network on `qemu:///system` with its live and inactive XML,
/// whether it runs and autostarts, and the names of the host's links.
///
/// ```swift
/// let before = try LibvirtState.capture()
/// … run the command …
/// let after = try LibvirtState.capture()
/// #expect(before.differences(to: after).isEmpty)
/// ```
public struct LibvirtState: Sendable, Equatable {
    /// One libvirt network as virsh shows it.
    public struct NetworkState: Sendable, Equatable {
        public var active: Bool
        public var autostart: Bool
        public var liveXML: String
        public var inactiveXML: String
    }

    /// Network name → its state.
    public var networks: [String: NetworkState]
    /// Names of the host's links (`ip -o link`), in the root namespace.
    public var links: Set<String>

    /// Reads the state now.
    public static func capture() throws -> LibvirtState {
        var networks: [String: NetworkState] = [:]
        let active = try Virsh.networkNames(all: false)
        for name in try Virsh.networkNames(all: true) {
            // A network may vanish between list and dump (another process removing its own):
            // it is then recorded with empty XML, which still differs from a network that exists.
            let live = (try? Virsh.output(["net-dumpxml", name])) ?? ""
            let inactive = (try? Virsh.output(["net-dumpxml", "--inactive", name])) ?? ""
            let info = (try? Virsh.output(["net-info", name])) ?? ""
            let autostart = info.split(separator: "\n").contains {
                $0.hasPrefix("Autostart:") && $0.hasSuffix("yes")
            }
            networks[name] = NetworkState(
                active: active.contains(name), autostart: autostart, liveXML: live, inactiveXML: inactive)
        }
        return LibvirtState(networks: networks, links: try Self.linkNames())
    }

    /// `ip -o link` names (the part before `@` of `veth0@if3`).
    public static func linkNames() throws -> Set<String> {
        let text = try Command.output(["ip", "-o", "link", "show"])
        return Set(
            text.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: ":", maxSplits: 2)
                guard fields.count >= 2 else { return nil }
                let name = fields[1].trimmingCharacters(in: .whitespaces)
                return String(name.split(separator: "@").first ?? Substring(name))
            })
    }

    /// One thing that differs between two states.
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        /// The network or link that differs.
        public var object: String
        public var change: String
        public var description: String { "\(object): \(change)" }
    }

    /// What differs from `self` to `other`: networks added, removed or changed (state or XML),
    /// links added or removed.
    public func differences(to other: LibvirtState) -> [Difference] {
        var found: [Difference] = []
        for name in Set(networks.keys).union(other.networks.keys).sorted() {
            switch (networks[name], other.networks[name]) {
            case (nil, _?): found.append(Difference(object: "network \(name)", change: "added"))
            case (_?, nil): found.append(Difference(object: "network \(name)", change: "removed"))
            case (let old?, let new?) where old != new:
                var what: [String] = []
                if old.active != new.active { what.append("active \(old.active) → \(new.active)") }
                if old.autostart != new.autostart { what.append("autostart \(old.autostart) → \(new.autostart)") }
                if old.liveXML != new.liveXML { what.append("live XML changed") }
                if old.inactiveXML != new.inactiveXML { what.append("inactive XML changed") }
                found.append(Difference(object: "network \(name)", change: what.joined(separator: ", ")))
            default: break
            }
        }
        for link in other.links.subtracting(links).sorted() {
            found.append(Difference(object: "link \(link)", change: "added"))
        }
        for link in links.subtracting(other.links).sorted() {
            found.append(Difference(object: "link \(link)", change: "removed"))
        }
        return found
    }
}

/// Runs a command that must change nothing in libvirt or the host's links, and proves it did not.
///
/// Other test processes may create and remove their own objects while the command runs (by the
/// test rules, networks named `vnt-…` and links named `vn…`: bridges and taps of test networks).
/// Those show up as differences that are not the command's doing. So:
/// - a difference in an object named by `involved` (what the command could create or touch) is
///   always the command's: `involvedDifferences`, never excused;
/// - a difference in any other object that is not another test's is `unexplainedDifferences`,
///   never excused either (vnetctl has no business with the host's own networks and links);
/// - when only other tests' objects differ, the command is run again, up to `attempts` times,
///   hoping for a quiet host; `differences` is what the last run saw.
public enum UnchangedState {
    public struct Outcome: Sendable {
        /// The result of the last run.
        public var result: CommandResult
        /// Every difference of the last run; empty when the state was the same before and after.
        public var differences: [LibvirtState.Difference]
        /// Differences in objects the command could have made or touched.
        public var involvedDifferences: [LibvirtState.Difference]
        /// Differences in objects that are neither involved nor another test's.
        public var unexplainedDifferences: [LibvirtState.Difference]
    }

    /// True for a network or link that some test makes: `network vnt-…`, `link vn…`, the
    /// `macvtapN` links libvirt names itself for the direct NICs of test guests, and the VXLAN
    /// links (`vxlVNI`) that vnetctl names itself for the overlay tests' networks.
    public static func isTestObject(_ difference: LibvirtState.Difference) -> Bool {
        difference.object.hasPrefix("network \(TestNames.prefix)") || difference.object.hasPrefix("link vn")
            || difference.object.hasPrefix("link macvtap") || difference.object.hasPrefix("link vxl")
    }

    public static func run(
        involving involved: [String], attempts: Int = 3, _ body: () throws -> CommandResult
    ) throws -> Outcome {
        var outcome: Outcome?
        for _ in 0..<max(attempts, 1) {
            let before = try LibvirtState.capture()
            let result = try body()
            let after = try LibvirtState.capture()
            let differences = before.differences(to: after)
            let mine = differences.filter { difference in
                involved.contains { !$0.isEmpty && difference.object.contains($0) }
            }
            let unexplained = differences.filter { difference in
                !mine.contains(difference) && !isTestObject(difference)
            }
            outcome = Outcome(
                result: result, differences: differences, involvedDifferences: mine, unexplainedDifferences: unexplained)
            if differences.isEmpty || !mine.isEmpty || !unexplained.isEmpty { break }
        }
        return outcome!
    }
}
