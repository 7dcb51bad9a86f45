// cairo's API (libcairo2-dev's headers), loaded on first use: see CCairo.c.
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <cairo/cairo-svg.h>
