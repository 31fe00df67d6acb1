#ifndef VNETCTL_CLIBXML2_SHIM_H
#define VNETCTL_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include <malloc.h>

/* xmlFree is a global function-pointer variable; Swift 6 refuses to read a mutable global,
 * so it is called through this function. */
static inline void vnet_xml_free(void *ptr)
{
    xmlFree(ptr);
}

/* glibc's malloc_trim: the free pages of every malloc arena go back to the system. */
static inline void vnet_release_freed_memory(void)
{
    malloc_trim(0);
}

#endif
