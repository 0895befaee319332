/* The floor for reading a worksheet: inflate it with libzip and run libxml2's SAX2 push
 * parser over it with empty callbacks, building no values. tonghop's reader is compared
 * with this to say how much its own work costs on top of the two libraries.
 *
 *   cc -O2 Benchmarks/floor.c $(pkg-config --cflags --libs libzip libxml-2.0) -o floor
 *   ./floor book.xlsx xl/worksheets/sheet1.xml [RUNS]
 */
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zip.h>

static long elements;

static void start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                  int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                  const xmlChar **attributes) {
    elements++;
}
static void end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {}
static void chars(void *ctx, const xmlChar *ch, int len) {}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: floor FILE ENTRY [RUNS]\n"); return 64; }
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    double best = 1e9;
    long bytes = 0;
    static char buf[1 << 18];
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        int err;
        zip_t *z = zip_open(argv[1], ZIP_RDONLY, &err);
        if (!z) { fprintf(stderr, "cannot open %s\n", argv[1]); return 2; }
        zip_file_t *f = zip_fopen(z, argv[2], ZIP_FL_NOCASE);
        if (!f) { fprintf(stderr, "no entry %s\n", argv[2]); return 2; }
        xmlSAXHandler sax = {0};
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = start;
        sax.endElementNs = end;
        sax.characters = chars;
        xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
        xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        zip_int64_t n;
        bytes = 0;
        elements = 0;
        while ((n = zip_fread(f, buf, sizeof buf)) > 0) {
            bytes += n;
            if (xmlParseChunk(ctxt, buf, (int)n, 0)) { fprintf(stderr, "parse error\n"); return 2; }
        }
        xmlParseChunk(ctxt, NULL, 0, 1);
        xmlFreeParserCtxt(ctxt);
        zip_fclose(f);
        zip_discard(z);
        double t = now() - t0;
        if (t < best) best = t;
    }
    printf("%.3f s  %ld elements  %.1f MB/s of sheet XML\n", best, elements, bytes / best / 1e6);
    return 0;
}
