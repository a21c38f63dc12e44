#include "malloc_tuning.h"
#include <malloc.h>

void lrp_reuse_freed_memory(void) {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}
