#ifndef TAPEDECK_CLIBXML2_SHIM_H
#define TAPEDECK_CLIBXML2_SHIM_H

// libxml2's headers would otherwise pull in ICU, whose symbols clash with the copy
// Foundation links. Read the feature flags first, then switch ICU off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>

#endif
