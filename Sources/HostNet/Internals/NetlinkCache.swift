import CLibNL

/// A filled libnl cache; freeing it drops the cache's reference to every object in it.
final class NetlinkCache {
    private let handle: OpaquePointer

    /// Takes ownership of a cache returned by one of libnl's `*_alloc_cache` functions.
    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        nl_cache_free(handle)
    }

    /// Calls `body` with each object in kernel dump order.
    ///
    /// The objects are borrowed from the cache (`nl_cache_get_first`/`_next` take no reference), so
    /// `body` must not keep them or put them.
    func forEach(_ body: (OpaquePointer) throws -> Void) rethrows {
        var object = nl_cache_get_first(handle)
        while let current = object {
            try body(current)
            object = nl_cache_get_next(current)
        }
    }
}
