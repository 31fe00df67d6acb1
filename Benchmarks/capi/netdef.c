/* (b) Define, then undefine, N isolated networks (not started: no bridge, no dnsmasq) over one
 * connection. Network i is vnt-bench-c<i>, bridge vntbc<i>, subnet 10.123.(240+i).0/24.
 * usage: vnb-netdef URI [N]   (1 <= N <= 10) */
#include "common.h"

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "qemu:///system";
    int n = argc > 2 ? atoi(argv[2]) : 1;
    if (n < 1 || n > 10) { fprintf(stderr, "N must be 1..10 (subnets 10.123.240-249.x)\n"); return 2; }
    virConnectPtr conn = vnb_open(uri, 0);
    if (!conn) return 1;

    virNetworkPtr nets[10] = {0};
    int rc = 0, defined = 0;
    for (int i = 0; i < n; i++) {
        char xml[512];
        int o = 240 + i;
        snprintf(xml, sizeof xml,
                 "<network><name>vnt-bench-c%d</name><bridge name='vntbc%d' stp='off' delay='0'/>"
                 "<ip address='10.123.%d.1' prefix='24'><dhcp><range start='10.123.%d.2' end='10.123.%d.254'/>"
                 "</dhcp></ip></network>", i, i, o, o, o);
        nets[i] = virNetworkDefineXML(conn, xml);
        if (!nets[i]) { vnb_fail("virNetworkDefineXML"); rc = 1; break; }
        defined++;
    }
    /* Undefine whatever was defined, also after a failure. */
    for (int i = 0; i < defined; i++) {
        if (virNetworkUndefine(nets[i]) < 0) { vnb_fail("virNetworkUndefine"); rc = 1; }
        virNetworkFree(nets[i]);
    }
    if (virConnectClose(conn) < 0) rc = 1;
    return rc;
}
