/* (a) What `vnetctl list` does through the C API: open read-only, list every network and domain
 * with its XML and state, print one line each, close.
 * usage: vnb-list URI */
#include "common.h"

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "qemu:///system";
    virConnectPtr conn = vnb_open(uri, 1);
    if (!conn) return 1;
    int rc = 0;

    virNetworkPtr *nets = NULL;
    int nnets = virConnectListAllNetworks(conn, &nets, 0);
    if (nnets < 0) { vnb_fail("virConnectListAllNetworks"); rc = 1; nnets = 0; }
    for (int i = 0; i < nnets; i++) {
        char *xml = virNetworkGetXMLDesc(nets[i], 0);
        int autostart = 0;
        virNetworkGetAutostart(nets[i], &autostart);
        printf("network %s active=%d persistent=%d autostart=%d xml=%zu\n", virNetworkGetName(nets[i]),
               virNetworkIsActive(nets[i]), virNetworkIsPersistent(nets[i]), autostart, xml ? strlen(xml) : 0);
        free(xml);
        virNetworkFree(nets[i]);
    }
    free(nets);

    virDomainPtr *doms = NULL;
    int ndoms = virConnectListAllDomains(conn, &doms, 0);
    if (ndoms < 0) { vnb_fail("virConnectListAllDomains"); rc = 1; ndoms = 0; }
    for (int i = 0; i < ndoms; i++) {
        char *xml = virDomainGetXMLDesc(doms[i], 0);
        int state = 0, reason = 0;
        virDomainGetState(doms[i], &state, &reason, 0);
        printf("domain %s state=%d persistent=%d xml=%zu\n", virDomainGetName(doms[i]), state,
               virDomainIsPersistent(doms[i]), xml ? strlen(xml) : 0);
        free(xml);
        virDomainFree(doms[i]);
    }
    free(doms);

    if (virConnectClose(conn) < 0) rc = 1;
    return rc;
}
