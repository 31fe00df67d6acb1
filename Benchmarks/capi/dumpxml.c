/* What `vnetctl dumpxml vm NAME` does through the C API: open read-only, look the domain up by name,
 * print its XML, close.
 * usage: vnb-dumpxml URI NAME */
#include "common.h"

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s URI NAME\n", argv[0]); return 2; }
    virConnectPtr conn = vnb_open(argv[1], 1);
    if (!conn) return 1;
    int rc = 0;
    virDomainPtr dom = virDomainLookupByName(conn, argv[2]);
    char *xml = dom ? virDomainGetXMLDesc(dom, 0) : NULL;
    if (!xml) { vnb_fail("virDomainGetXMLDesc"); rc = 1; }
    else fputs(xml, stdout);
    free(xml);
    if (dom) virDomainFree(dom);
    if (virConnectClose(conn) < 0) rc = 1;
    return rc;
}
