#ifndef VNETCTL_CLIBVIRT_SHIM_H
#define VNETCTL_CLIBVIRT_SHIM_H

#include <stddef.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* Swift does not import libvirt's callback-cast macros (VIR_NETWORK_EVENT_CALLBACK,
 * VIR_DOMAIN_EVENT_CALLBACK), so these register the typed lifecycle callbacks directly. */

static inline int vnet_network_event_register_lifecycle(
    virConnectPtr conn, virConnectNetworkEventLifecycleCallback cb,
    void *opaque, virFreeCallback freecb)
{
    return virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                             VIR_NETWORK_EVENT_CALLBACK(cb), opaque, freecb);
}

static inline int vnet_domain_event_register_lifecycle(
    virConnectPtr conn, virConnectDomainEventCallback cb,
    void *opaque, virFreeCallback freecb)
{
    return virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                            VIR_DOMAIN_EVENT_CALLBACK(cb), opaque, freecb);
}

#endif
