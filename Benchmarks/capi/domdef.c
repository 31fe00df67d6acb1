/* (c) Define, then undefine, one minimal domain: type qemu, 64 MiB, 1 vCPU, PXE boot, one virtio NIC
 * on NETWORK (which the benchmark creates), the same shape as vnetctl's pxe template renders.
 * usage: vnb-domdef URI NETWORK [NAME] */
#include "common.h"

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s URI NETWORK [NAME]\n", argv[0]); return 2; }
    const char *uri = argv[1], *network = argv[2], *name = argc > 3 ? argv[3] : "vnt-bench-cd";
    virConnectPtr conn = vnb_open(uri, 0);
    if (!conn) return 1;

    char xml[2048];
    snprintf(xml, sizeof xml,
             "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
             "<os><type arch='x86_64'>hvm</type><boot dev='network'/></os><features><acpi/><apic/></features>"
             "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>"
             "<devices><interface type='network'><source network='%s'/><model type='virtio'/></interface>"
             "<serial type='pty'/><console type='pty'/></devices></domain>", name, network);
    int rc = 0;
    virDomainPtr dom = virDomainDefineXML(conn, xml);
    if (!dom) { vnb_fail("virDomainDefineXML"); rc = 1; }
    else {
        if (virDomainUndefine(dom) < 0) { vnb_fail("virDomainUndefine"); rc = 1; }
        virDomainFree(dom);
    }
    if (virConnectClose(conn) < 0) rc = 1;
    return rc;
}
