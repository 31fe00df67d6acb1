#ifndef VNETCTL_CGRAPHVIZ_SHIM_H
#define VNETCTL_CGRAPHVIZ_SHIM_H

#include <dlfcn.h>
#include <stddef.h>
#include <graphviz/gvc.h>

/* Graphviz's layout and render library, loaded at run time (dlopen) by the one command that
 * renders, so that no other command pays for loading libgvc and libcgraph. The module links
 * nothing: these are the functions vnetctl calls, found by dlsym in libgvc and its libcgraph. */
typedef struct {
    __typeof__(gvContext) *gvContext;
    __typeof__(gvFreeContext) *gvFreeContext;
    __typeof__(agmemread) *agmemread;
    __typeof__(agclose) *agclose;
    __typeof__(gvLayout) *gvLayout;
    __typeof__(gvFreeLayout) *gvFreeLayout;
    __typeof__(gvRenderData) *gvRenderData;
    __typeof__(gvFreeRenderData) *gvFreeRenderData;
    __typeof__(agseterr) *agseterr;
    __typeof__(aglasterr) *aglasterr;
} vnet_gvc;

/* Fills `api` from libgvc.so.6. Returns NULL, or dlerror()'s text when the library or a
 * function is missing. The library stays loaded for the process's life: its plugins keep
 * pointers into it. */
static inline const char *vnet_gvc_load(vnet_gvc *api) {
    void *handle = dlopen("libgvc.so.6", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) return dlerror();
#define VNET_GVC_SYMBOL(name) \
    if ((*(void **)&api->name = dlsym(handle, #name)) == NULL) return dlerror();
    VNET_GVC_SYMBOL(gvContext)
    VNET_GVC_SYMBOL(gvFreeContext)
    VNET_GVC_SYMBOL(agmemread)
    VNET_GVC_SYMBOL(agclose)
    VNET_GVC_SYMBOL(gvLayout)
    VNET_GVC_SYMBOL(gvFreeLayout)
    VNET_GVC_SYMBOL(gvRenderData)
    VNET_GVC_SYMBOL(gvFreeRenderData)
    VNET_GVC_SYMBOL(agseterr)
    VNET_GVC_SYMBOL(aglasterr)
#undef VNET_GVC_SYMBOL
    return NULL;
}

#endif
