import Dispatch
import Synchronization

/// Runs one function over many items on a few threads at once: how the inventory fetches
/// thousands of XML documents over one libvirt connection.
///
/// libvirt's client is thread-safe and the daemon serves a client's calls in parallel up to its
/// `max_client_requests` (5 by default); twice that many workers keep the replies coming while
/// others parse (measured with `Benchmarks/scale.sh`: 1000 domains, 10 workers a little ahead of 5).
enum BoundedWorkers {
    static let defaultCount = 10

    /// `body` of every item, in the items' order; the first error thrown (in item order) is rethrown.
    static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], workers: Int = defaultCount, _ body: @escaping @Sendable (Item) throws -> Result
    ) throws -> [Result] {
        guard items.count > 1, workers > 1 else { return try items.map(body) }
        let next = Mutex(0)
        let results = Mutex([Swift.Result<Result, any Error>?](repeating: nil, count: items.count))
        let group = DispatchGroup()
        // One serial queue per worker: serial queues target libdispatch's overcommitting root queue,
        // so each worker gets a thread of its own even while the others block in libvirt calls.
        for worker in 0..<min(workers, items.count) {
            DispatchQueue(label: "vnetctl.BoundedWorkers.\(worker)").async(group: group) {
                while true {
                    let index = next.withLock { value in
                        defer { value += 1 }
                        return value
                    }
                    guard index < items.count else { return }
                    let result = Swift.Result { try body(items[index]) }
                    results.withLock { $0[index] = result }
                }
            }
        }
        group.wait()
        return try results.withLock { $0 }.map { try $0!.get() }
    }
}
