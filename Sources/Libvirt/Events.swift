import CLibvirt

// A subscription hands libvirt one retained `EventSink` as the callback's opaque pointer.
// libvirt gives it back to `releaseSink` once the callback is deregistered, which happens when
// the stream terminates: the consumer stops iterating, its task is cancelled, or the stream is
// dropped. The stream's termination handler holds the `Connection`, so the connection outlives
// every subscription made on it.

/// The continuation a libvirt event callback yields into.
final class EventSink<Event: Sendable>: Sendable {
    let continuation: AsyncStream<Event>.Continuation

    init(_ continuation: AsyncStream<Event>.Continuation) {
        self.continuation = continuation
    }

    /// Borrows the sink behind a callback's opaque pointer without consuming libvirt's reference.
    static func borrow(_ opaque: UnsafeMutableRawPointer) -> EventSink {
        Unmanaged<EventSink>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// Releases the reference to an `EventSink` that a subscription gave libvirt.
private func releaseSink(_ opaque: UnsafeMutableRawPointer?) {
    guard let opaque else { return }
    Unmanaged<AnyObject>.fromOpaque(opaque).release()
}

private func networkLifecycle(
    _ connection: virConnectPtr?, _ network: virNetworkPtr?, _ event: Int32, _ detail: Int32, _ opaque: UnsafeMutableRawPointer?
) {
    guard let network, let opaque else { return }
    let uuid = try? readUUID("virNetworkGetUUID") { virNetworkGetUUID(network, $0) }
    EventSink<NetworkEvent>.borrow(opaque).continuation.yield(NetworkEvent(
        network: String(cString: virNetworkGetName(network)),
        uuid: uuid,
        kind: NetworkEvent.Kind(rawValue: event),
        detail: detail
    ))
}

private func domainLifecycle(
    _ connection: virConnectPtr?, _ domain: virDomainPtr?, _ event: Int32, _ detail: Int32, _ opaque: UnsafeMutableRawPointer?
) -> Int32 {
    guard let domain, let opaque else { return 0 }
    EventSink<DomainEvent>.borrow(opaque).continuation.yield(DomainEvent(
        domain: String(cString: virDomainGetName(domain)),
        kind: DomainEvent.Kind(rawValue: event),
        detail: detail
    ))
    return 0
}

extension Connection {
    /// Lifecycle events of every network on this connection, from now until the stream ends.
    ///
    /// Events are buffered until read. The subscription ends when the consumer stops iterating.
    public func networkEvents() throws(LibvirtError) -> AsyncStream<NetworkEvent> {
        try subscribe("virConnectNetworkEventRegisterAny") { sink in
            vnet_network_event_register_lifecycle(pointer, networkLifecycle, sink, releaseSink)
        } deregister: { connection, callbackID in
            virConnectNetworkEventDeregisterAny(connection.pointer, callbackID)
        }
    }

    /// Lifecycle events of every domain on this connection, from now until the stream ends.
    ///
    /// Events are buffered until read. The subscription ends when the consumer stops iterating.
    public func domainEvents() throws(LibvirtError) -> AsyncStream<DomainEvent> {
        try subscribe("virConnectDomainEventRegisterAny") { sink in
            vnet_domain_event_register_lifecycle(pointer, domainLifecycle, sink, releaseSink)
        } deregister: { connection, callbackID in
            virConnectDomainEventDeregisterAny(connection.pointer, callbackID)
        }
    }

    private func subscribe<Event: Sendable>(
        _ call: StaticString,
        register: (UnsafeMutableRawPointer) -> Int32,
        deregister: @escaping @Sendable (Connection, Int32) -> Int32
    ) throws(LibvirtError) -> AsyncStream<Event> {
        LibvirtRuntime.runEventLoop()
        let (stream, continuation) = AsyncStream<Event>.makeStream()
        let sink = Unmanaged.passRetained(EventSink(continuation)).toOpaque()
        let callbackID: Int32
        do {
            callbackID = try check(register(sink), call)
        } catch {
            releaseSink(sink)
            throw error
        }
        continuation.onTermination = { _ in
            _ = deregister(self, callbackID)
        }
        return stream
    }
}
