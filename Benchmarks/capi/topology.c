/* (c) The C API side of `apply`: on one connection, define NETS isolated networks and DOMS domains
 * (each on network i % NETS, the shape domdef.c defines) and undefine them again ("define"), or
 * look up and fetch the XML of the networks vnt-bench-tn0.. and domains vnt-bench-tv0.. that the
 * benchmark's topology file made ("read": what deciding that nothing changed needs at least).
 * usage: vnb-topology URI define|read NETS DOMS */
#include "common.h"

static void net_xml(char *buf, size_t size, int i) {
    snprintf(buf, size,
             "<network><name>vnt-bench-cn%d</name><bridge name='vntbc%d' stp='off' delay='0'/>"
             "<ip address='10.123.%d.1' prefix='24'><dhcp><range start='10.123.%d.2' end='10.123.%d.254'/></dhcp></ip>"
             "</network>", i, i, 246 + i, 246 + i, 246 + i);
}

static void dom_xml(char *buf, size_t size, int i, int nets) {
    snprintf(buf, size,
             "<domain type='qemu'><name>vnt-bench-cv%d</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
             "<os><type arch='x86_64'>hvm</type><boot dev='network'/></os><features><acpi/><apic/></features>"
             "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>"
             "<devices><interface type='network'><source network='vnt-bench-cn%d'/><model type='virtio'/></interface>"
             "<serial type='pty'/><console type='pty'/></devices></domain>", i, i % nets);
}

static int define_all(virConnectPtr conn, int nets, int doms) {
    char xml[2048];
    int rc = 0;
    virNetworkPtr networks[16] = {0};
    virDomainPtr domains[16] = {0};
    for (int i = 0; i < nets; i++) {
        net_xml(xml, sizeof xml, i);
        if (!(networks[i] = virNetworkDefineXML(conn, xml))) { vnb_fail("virNetworkDefineXML"); rc = 1; }
    }
    for (int i = 0; i < doms && rc == 0; i++) {
        dom_xml(xml, sizeof xml, i, nets);
        if (!(domains[i] = virDomainDefineXML(conn, xml))) { vnb_fail("virDomainDefineXML"); rc = 1; }
    }
    for (int i = 0; i < doms; i++) {
        if (!domains[i]) continue;
        if (virDomainUndefine(domains[i]) < 0) { vnb_fail("virDomainUndefine"); rc = 1; }
        virDomainFree(domains[i]);
    }
    for (int i = 0; i < nets; i++) {
        if (!networks[i]) continue;
        if (virNetworkUndefine(networks[i]) < 0) { vnb_fail("virNetworkUndefine"); rc = 1; }
        virNetworkFree(networks[i]);
    }
    return rc;
}

static int read_all(virConnectPtr conn, int nets, int doms) {
    char name[64];
    int rc = 0;
    for (int i = 0; i < nets; i++) {
        snprintf(name, sizeof name, "vnt-bench-tn%d", i);
        virNetworkPtr net = virNetworkLookupByName(conn, name);
        if (!net) { vnb_fail("virNetworkLookupByName"); rc = 1; continue; }
        char *xml = virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE);
        if (!xml) { vnb_fail("virNetworkGetXMLDesc"); rc = 1; }
        free(xml);
        virNetworkFree(net);
    }
    for (int i = 0; i < doms; i++) {
        snprintf(name, sizeof name, "vnt-bench-tv%d", i);
        virDomainPtr dom = virDomainLookupByName(conn, name);
        if (!dom) { vnb_fail("virDomainLookupByName"); rc = 1; continue; }
        char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
        if (!xml) { vnb_fail("virDomainGetXMLDesc"); rc = 1; }
        free(xml);
        virDomainFree(dom);
    }
    return rc;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s URI define|read NETS DOMS\n", argv[0]); return 2; }
    int define = strcmp(argv[2], "define") == 0, nets = atoi(argv[3]), doms = atoi(argv[4]);
    if ((!define && strcmp(argv[2], "read") != 0) || nets < 1 || nets > 16 || doms < 0 || doms > 16) {
        fprintf(stderr, "usage: %s URI define|read NETS(1-16) DOMS(0-16)\n", argv[0]);
        return 2;
    }
    virConnectPtr conn = vnb_open(argv[1], !define);
    if (!conn) return 1;
    int rc = define ? define_all(conn, nets, doms) : read_all(conn, nets, doms);
    if (virConnectClose(conn) < 0) rc = 1;
    return rc;
}
