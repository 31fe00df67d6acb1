/// One thread per host for the steps of a fleet command that wait on each host's libvirtd.
enum FleetConcurrency {
    /// `body` of every item at once, in the items' order.
    static func map<Item: Sendable, Value: Sendable>(_ items: [Item], _ body: @escaping @Sendable (Item) -> Value) -> [Value] {
        // The body throws nothing, so neither does the map.
        (try? BoundedWorkers.map(items, workers: items.count, body)) ?? []
    }
}
