/* Floor for `vnetctl validate FILE`: libxml2 alone compiles a libvirt RelaxNG schema and validates one
 * file against it, in one process (what virt-xml-validate's xmllint does, without the shell script).
 * usage: vnb-validate SCHEMA.rng FILE.xml */
#include <stdio.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s SCHEMA.rng FILE.xml\n", argv[0]); return 2; }
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewParserCtxt(argv[1]);
    xmlRelaxNGPtr schema = pctxt ? xmlRelaxNGParse(pctxt) : NULL;
    if (!schema) { fprintf(stderr, "cannot compile %s\n", argv[1]); return 1; }
    xmlDocPtr doc = xmlReadFile(argv[2], NULL, 0);
    if (!doc) { fprintf(stderr, "cannot parse %s\n", argv[2]); return 1; }
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    printf("%s: %s\n", argv[2], rc == 0 ? "valid" : "invalid");
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
    xmlRelaxNGFree(schema);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return rc == 0 ? 0 : 1;
}
