// The BLAS entry points SwiftLRP's core uses: Debian's libopenblas-dev.
#include <cblas.h>
