import Synchronization

/// Counts this process's calls into libvirt, by function, and how often each object's XML was
/// fetched: the measure that a command reads libvirt once.
///
/// Every checked call counts (nearly all of them are a round trip to the daemon for remote and
/// `qemu://` URIs); name and ID getters, which libvirt answers from its cache, do not.
public enum RoundTrips {
    private static let counts = Mutex<(calls: [String: Int], xml: [String: Int])>(([:], [:]))

    static func record(_ call: StaticString) {
        counts.withLock { $0.calls["\(call)", default: 0] += 1 }
    }

    /// Notes one fetch of an object's XML, keyed like `domain web1 (inactive)`.
    static func recordXML(_ object: String) {
        counts.withLock { $0.xml[object, default: 0] += 1 }
    }

    /// Calls so far, by libvirt function name.
    public static var calls: [String: Int] { counts.withLock { $0.calls } }

    /// XML fetches so far, by object and flavor (`network lab (saved)`, `domain web1 (live)`).
    public static var xmlFetches: [String: Int] { counts.withLock { $0.xml } }

    /// All calls so far.
    public static var total: Int { calls.values.reduce(0, +) }

    /// One line: the total, the calls by function (most first), and every XML fetched more than once.
    public static var summary: String {
        let calls = self.calls.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
        let twice = xmlFetches.filter { $0.value > 1 }.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
        return "libvirt round trips: \(total) (\(calls.joined(separator: ", "))); XML fetched more than once: "
            + (twice.isEmpty ? "none" : twice.joined(separator: ", "))
    }
}
