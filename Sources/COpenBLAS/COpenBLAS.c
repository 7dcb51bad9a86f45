// The CBLAS functions Phonoscope calls, each forwarding to libopenblas.so.0, which is opened
// on the first call (see CLibraryLoader.h), after `BLASKernel.configure()` has had the chance
// to set OPENBLAS_CORETYPE, which OpenBLAS reads as it loads. Prototypes as cblas.h declares
// them; a function Phonoscope starts to use must be added here.
#include "COpenBLAS.h"

#include "CLibraryLoader.h"

static ps_library openblas = {"libopenblas.so.0", "libopenblas0-pthread", 0};

PS_FORWARD(openblas, double, cblas_ddot, (const blasint n, const double *x, const blasint incx, const double *y, const blasint incy), (n, x, incx, y, incy))
PS_FORWARD_VOID(openblas, cblas_dgemm, (const enum CBLAS_ORDER Order, const enum CBLAS_TRANSPOSE TransA, const enum CBLAS_TRANSPOSE TransB, const blasint M, const blasint N, const blasint K, const double alpha, const double *A, const blasint lda, const double *B, const blasint ldb, const double beta, double *C, const blasint ldc), (Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc))
PS_FORWARD_VOID(openblas, cblas_dgemv, (const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans, const blasint m, const blasint n, const double alpha, const double *a, const blasint lda, const double *x, const blasint incx, const double beta, double *y, const blasint incy), (order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy))
PS_FORWARD_VOID(openblas, cblas_sgemm, (const enum CBLAS_ORDER Order, const enum CBLAS_TRANSPOSE TransA, const enum CBLAS_TRANSPOSE TransB, const blasint M, const blasint N, const blasint K, const float alpha, const float *A, const blasint lda, const float *B, const blasint ldb, const float beta, float *C, const blasint ldc), (Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc))
PS_FORWARD_VOID(openblas, cblas_sgemv, (const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans, const blasint m, const blasint n, const float alpha, const float *a, const blasint lda, const float *x, const blasint incx, const float beta, float *y, const blasint incy), (order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy))
PS_FORWARD_VOID(openblas, openblas_set_num_threads, (int num_threads), (num_threads))
