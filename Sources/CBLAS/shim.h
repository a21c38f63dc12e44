// The BLAS and LAPACK entry points SwiftLRP uses: Debian's libopenblas-dev and liblapacke-dev.
#include <cblas.h>
#include <lapacke.h>
