// libxml2's push parser (SAX2) and its global set-up; Swift calls these directly.
//
// Debian builds libxml2 with ICU, so its headers would pull in the system's <unicode/*.h>,
// whose types clash with the ICU copy inside Foundation. Only a pointer to the ICU-bearing
// struct (xmlCharEncodingHandler) is ever seen here, so hiding the ICU fields changes no
// layout this module touches.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
