// The LAPACK entry point the evaluation uses (a symmetric eigensolver): Debian's liblapacke-dev.
#include <lapacke.h>
