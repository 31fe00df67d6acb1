import Dispatch
import Foundation
import Libvirt
import LibXML
#if canImport(Glibc)
import Glibc
#endif

/// Waits until each NIC of a started VM holds a DHCP lease, driven by events rather than a sleep loop.
///
/// Three things wake it: a change in libvirt's dnsmasq lease files (inotify on
/// /var/lib/libvirt/dnsmasq, which libvirt's lease helper rewrites on every lease), a lifecycle
/// event of the domain (a guest that stops, crashes or is paused ends the wait at once), and the
/// deadline. A check every few seconds backs up the inotify watch for connections to a remote host,
/// and looks at the domain's state too, so a pause that came before the event subscription ends
/// the wait as well. Only NICs on libvirt networks are waited for: no other kind has a DHCP
/// server libvirt can see.
public enum LeaseWaiter {
    /// A NIC's obtained address.
    public struct Lease: Sendable, Codable, Equatable {
        public var network: String
        public var mac: String
        public var address: String
    }

    public static let leaseDirectory = "/var/lib/libvirt/dnsmasq"
    static let fallbackInterval = DispatchTimeInterval.seconds(3)

    private enum Wake: Sendable {
        case check
        case domainStopped(String)
        case domainPaused
        case deadline
    }

    /// Returns the lease of every NIC in `nics`, in their order.
    ///
    /// `progress` hears what the wait is for when it begins (`waiting up to 60 seconds for …`),
    /// and each time more NICs hold a lease, which and what is still missing.
    public static func wait(
        for nics: [VMDefinition.NIC], of domain: String, on connection: Connection, timeout: Duration,
        progress: (String) -> Void = { _ in }
    ) async throws(VNetError) -> [Lease] {
        let nics = nics.filter { $0.network != nil }
        let domainEvents: AsyncStream<DomainEvent>
        do {
            domainEvents = try connection.domainEvents()
        } catch {
            throw VNetError.from(error)
        }
        let (wakes, continuation) = AsyncStream<Wake>.makeStream()
        let watch = LeaseFileWatch(directory: leaseDirectory) { continuation.yield(.check) }
        let timer = DispatchSource.makeTimerSource()
        timer.schedule(deadline: .now() + fallbackInterval, repeating: fallbackInterval)
        timer.setEventHandler { continuation.yield(.check) }
        timer.resume()
        let watchers = [
            Task {
                for await event in domainEvents where event.domain == domain {
                    switch event.kind {
                    case .stopped, .crashed, .shutdown, .undefined: continuation.yield(.domainStopped("\(event.kind)"))
                    case .pmSuspended: continuation.yield(.domainStopped("was suspended by the guest's power management"))
                    case .suspended: continuation.yield(.domainPaused)
                    default: continue
                    }
                }
            },
            Task {
                try? await Task.sleep(for: timeout)
                continuation.yield(.deadline)
            },
        ]
        defer {
            watchers.forEach { $0.cancel() }
            timer.cancel()
            watch?.cancel()
            continuation.finish()
        }
        progress("waiting up to \(timeout) for DHCP leases of VM '\(domain)': \(describe(nics))")
        var reported = 0
        continuation.yield(.check)
        for await wake in wakes {
            switch wake {
            case .check:
                var leases: [Lease] = [], missing: [VMDefinition.NIC] = []
                for nic in nics {
                    if let lease = try lease(of: nic, on: connection) { leases.append(lease) } else { missing.append(nic) }
                }
                if missing.isEmpty { return leases }
                if leases.count > reported {
                    reported = leases.count
                    let got = leases.map { "\($0.address) on \($0.network)" }.joined(separator: ", ")
                    progress("\(leases.count)/\(nics.count) NICs have an address (\(got)); waiting for \(describe(missing))")
                }
                if let paused = try pauseFailure(of: domain, on: connection) { throw paused }
            case .domainPaused:
                if let paused = try pauseFailure(of: domain, on: connection) { throw paused }
            case .domainStopped(let how):
                throw .failure("VM '\(domain)' \(how) before every NIC got an address")
            case .deadline:
                let missing = try missingNICs(nics, on: connection)
                throw .failure(
                    "timed out after \(timeout) waiting for DHCP leases of VM '\(domain)' "
                        + "(no lease yet for \(missing)); it is defined and running — check its boot with 'virsh console \(domain)'")
            }
        }
        throw .failure("stopped waiting for VM '\(domain)' before its NICs got addresses")
    }

    /// The failure to report when the domain is paused (a guest that does not run gets no lease),
    /// with QEMU's log and, for a KVM domain, the TCG hint; nil while it is not paused.
    static func pauseFailure(of name: String, on connection: Connection) throws(VNetError) -> VNetError? {
        let reason: String, isKVM: Bool
        do {
            let domain = try connection.domain(named: name)
            guard let paused = try domain.pausedReason else { return nil }
            reason = paused
            let document = try XMLDocument(string: try domain.xml(), source: "domain \(name)")
            isKVM = try document.string("string(/domain/@type)") == "kvm"
        } catch {
            throw VNetError.from(error)
        }
        let log = "VM '\(name)' was \(reason) before every NIC got an address, so it gets none; QEMU's log on the VM's host is "
            + "/var/log/libvirt/qemu/\(name).log"
        guard isKVM else {
            return .naming(
                .failure, log + "; it is defined and paused ('virsh resume \(name)' or '", OperationAction(.undefine, .vm, named: name),
                then: "')")
        }
        return VNetError.naming(
            .failure, log + "; if the log shows an emulation failure (nested KVM), run the guest under TCG: '",
            OperationAction(.undefine, .vm, named: name), then: "'"
        ).asking(", then define it again with ", for: .qemuVirtType)
    }

    private static func missingNICs(_ nics: [VMDefinition.NIC], on connection: Connection) throws(VNetError) -> String {
        var missing: [VMDefinition.NIC] = []
        for nic in nics where try lease(of: nic, on: connection) == nil {
            missing.append(nic)
        }
        return describe(missing)
    }

    /// `52:54:00:12:34:56 on lab-nat, …`
    private static func describe(_ nics: [VMDefinition.NIC]) -> String {
        nics.map { "\($0.mac) \($0.placement)" }.joined(separator: ", ")
    }

    private static func lease(of nic: VMDefinition.NIC, on connection: Connection) throws(VNetError) -> Lease? {
        do {
            guard let network = nic.network else { return nil }
            let leases = try connection.network(named: network).dhcpLeases(mac: nic.mac.description)
            let chosen = leases.first { $0.family == .ipv4 && (nic.ip == nil || $0.address == nic.ip?.description) }
            return chosen.map { Lease(network: network, mac: nic.mac.description, address: $0.address) }
        } catch {
            throw VNetError.from(error)
        }
    }
}

/// An inotify watch on a directory, calling back when a file in it is written or renamed into it.
final class LeaseFileWatch: @unchecked Sendable {
    // The dispatch source owns the descriptor and closes it on cancel; nothing else touches it.
    private let source: any DispatchSourceRead

    init?(directory: String, onChange: @escaping @Sendable () -> Void) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        guard inotify_add_watch(descriptor, directory, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO)) >= 0 else {
            close(descriptor)
            return nil
        }
        source = DispatchSource.makeReadSource(fileDescriptor: descriptor)
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(descriptor, &buffer, buffer.count) > 0 {}
            onChange()
        }
        source.setCancelHandler { close(descriptor) }
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}
