/* Shared helpers for the C API baselines. Header-only; each program is one .c file. */
#ifndef VNB_COMMON_H
#define VNB_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* As vnetctl does: no libvirt error printing of its own; we report errors ourselves. */
static void vnb_quiet(void *data, virErrorPtr err) { (void)data; (void)err; }

static void vnb_fail(const char *what) {
    virErrorPtr err = virGetLastError();
    fprintf(stderr, "%s failed: %s\n", what, err && err->message ? err->message : "unknown error");
}

static virConnectPtr vnb_open(const char *uri, int readonly) {
    virSetErrorFunc(NULL, vnb_quiet);
    virConnectPtr conn = readonly ? virConnectOpenReadOnly(uri) : virConnectOpen(uri);
    if (!conn) vnb_fail(readonly ? "virConnectOpenReadOnly" : "virConnectOpen");
    return conn;
}
#endif
