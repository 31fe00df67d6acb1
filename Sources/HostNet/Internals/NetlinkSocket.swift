import CLibNL
import Glibc

/// A `NETLINK_ROUTE` socket in the network namespace of the thread that opened it.
///
/// libnl sockets are not thread-safe (they carry a sequence number), so each public call opens its
/// own and lets it go when done.
final class NetlinkSocket {
    /// The `nl_sock`; the write side (`NetlinkChanges`) sends its requests on it.
    let handle: OpaquePointer

    init() throws {
        guard let handle = nl_socket_alloc() else {
            throw HostNetError("cannot open a netlink socket", libnlCode: -NLE_NOMEM)
        }
        let result = nl_connect(handle, NETLINK_ROUTE)
        guard result >= 0 else {
            nl_socket_free(handle)
            throw HostNetError("cannot connect to rtnetlink", libnlCode: result)
        }
        self.handle = handle
    }

    deinit {
        nl_socket_free(handle)
    }

    /// Dumps every link.
    func linkCache() throws -> NetlinkCache {
        try fill("cannot read the host's links") { rtnl_link_alloc_cache(handle, AF_UNSPEC, &$0) }
    }

    /// Dumps every address of every family.
    func addressCache() throws -> NetlinkCache {
        try fill("cannot read the host's addresses") { rtnl_addr_alloc_cache(handle, &$0) }
    }

    /// Dumps the routes of every family and table, without cached (cloned) routes.
    func routeCache() throws -> NetlinkCache {
        try fill("cannot read the host's routes") { rtnl_route_alloc_cache(handle, AF_UNSPEC, 0, &$0) }
    }

    /// Dumps the forwarding database entries (neighbours of family `AF_BRIDGE`) of every link.
    func bridgeNeighbourCache() throws -> NetlinkCache {
        try fill("cannot read the host's forwarding databases") { cache in
            let allocated = nl_cache_alloc_name("route/neigh", &cache)
            guard allocated >= 0, let empty = cache else { return allocated < 0 ? allocated : -NLE_NOMEM }
            nl_cache_set_arg1(empty, AF_BRIDGE)
            let result = nl_cache_refill(handle, empty)
            if result < 0 {
                nl_cache_free(empty)
                cache = nil
            }
            return result
        }
    }

    /// Asks the kernel for one link by name and calls `body` with it; `nil` if there is no such link.
    ///
    /// The link is valid only inside `body`.
    func withLink<T>(named name: String, _ body: (OpaquePointer) throws -> T) throws -> T? {
        // The kernel rejects an over-long or empty name as invalid input; no link can have one.
        guard !name.isEmpty, name.utf8.count < Int(IF_NAMESIZE) else { return nil }
        var link: OpaquePointer?
        let result = rtnl_link_get_kernel(handle, 0, name, &link)
        if result == -NLE_OBJ_NOTFOUND || result == -NLE_NODEV { return nil }
        guard result >= 0, let link else {
            throw HostNetError("cannot read link \(name)", libnlCode: result)
        }
        defer { rtnl_link_put(link) }
        return try body(link)
    }

    private func fill(_ operation: String, _ alloc: (inout OpaquePointer?) -> Int32) throws -> NetlinkCache {
        var cache: OpaquePointer?
        let result = alloc(&cache)
        guard result >= 0, let cache else {
            throw HostNetError(operation, libnlCode: result)
        }
        return NetlinkCache(owning: cache)
    }
}
