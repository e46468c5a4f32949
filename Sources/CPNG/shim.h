#include <png.h>

// PNG_FORMAT_RGBA is a macro expression Swift cannot import.
static const png_uint_32 tapedeck_png_format_rgba = PNG_FORMAT_RGBA;
