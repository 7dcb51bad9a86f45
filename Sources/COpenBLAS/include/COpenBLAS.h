// OpenBLAS's CBLAS API (libopenblas-dev's headers), loaded on first use: see COpenBLAS.c.
#include <openblas-pthread/cblas.h>
