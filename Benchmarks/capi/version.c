/* Floor: what `vnetctl version` does through the C API: open read-only, ask the library's, the
 * daemon's and the hypervisor's versions, close. Process start + libvirt connection and nothing else.
 * With --local, what `vnetctl --version` is measured against: a program that links libvirt and prints
 * the library's version, with no connection.
 * usage: vnb-version URI | vnb-version --local */
#include "common.h"

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "qemu:///system";
    unsigned long lib = 0, daemon = 0, hv = 0;
    if (strcmp(uri, "--local") == 0) {
        if (virGetVersion(&lib, NULL, NULL) < 0) { vnb_fail("virGetVersion"); return 1; }
        printf("%lu.%lu.%lu\n", lib / 1000000, lib / 1000 % 1000, lib % 1000);
        return 0;
    }
    virConnectPtr conn = vnb_open(uri, 1);
    if (!conn) return 1;
    int rc = 0;
    char *canonical = virConnectGetURI(conn);
    if (virGetVersion(&lib, NULL, NULL) < 0 || virConnectGetLibVersion(conn, &daemon) < 0
        || virConnectGetVersion(conn, &hv) < 0 || !canonical) { vnb_fail("version"); rc = 1; }
    printf("library %lu daemon %lu at %s hypervisor %lu\n", lib, daemon, canonical ? canonical : "?", hv);
    free(canonical);
    if (virConnectClose(conn) < 0) rc = 1;
    return rc;
}
