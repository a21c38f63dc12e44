// Debian's OpenBLAS 0.3.21 does not recognize some newer CPUs (Sapphire Rapids among them) and falls back to
// its generic `Prescott` kernel, which runs sgemm several times slower than the AVX-512 kernel the CPU can
// run. OpenBLAS picks its kernel in a load-time constructor (`gotoblas_dynamic_init`, reading
// OPENBLAS_CORETYPE); this constructor runs after it (a library's constructors run before those of the
// programs that link it) and, when the pick is a generic fallback on a capable CPU, runs OpenBLAS's own
// selection again with OPENBLAS_CORETYPE set for the duration. Every program that links SwiftLRP thus gets
// the proper kernel before `main`, before any thread exists. A user's OPENBLAS_CORETYPE is always obeyed, and
// OpenBLAS builds without runtime kernel selection (no `gotoblas_dynamic_init`) are left alone.
#define _GNU_SOURCE
#include "openblas_kernel.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

static const char *const generic_fallbacks[] = {
    "Prescott", "Core2", "Katmai", "Coppermine", "Northwood", "Banias", "Atom", "Penryn", "Dunnington",
    "Nehalem", "Sandybridge",
};

int lrp_openblas_is_generic_fallback(const char *core_name) {
    for (size_t i = 0; i < sizeof generic_fallbacks / sizeof *generic_fallbacks; i++) {
        if (strcmp(core_name, generic_fallbacks[i]) == 0) return 1;
    }
    return 0;
}

const char *lrp_openblas_recommended_coretype(const char *core_name, int avx512, int avx2_fma, int avx, int amd) {
    if (!lrp_openblas_is_generic_fallback(core_name)) return NULL;
    if (avx512) return amd ? "Zen" : "SkylakeX";
    if (avx2_fma) return amd ? "Zen" : "Haswell";
    if (avx && strcmp(core_name, "Sandybridge") != 0) return "Sandybridge";
    return NULL;
}

static char replaced[32];

const char *lrp_openblas_replaced_coretype(void) {
    return replaced[0] ? replaced : NULL;
}

__attribute__((constructor)) static void lrp_select_openblas_kernel(void) {
    if (getenv("OPENBLAS_CORETYPE")) return;
    char *(*corename)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "openblas_get_corename");
    void (*quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    void (*init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    if (!corename || !quit || !init || !corename()) return;
    __builtin_cpu_init();
    const char *current = corename();
    const char *better = lrp_openblas_recommended_coretype(
        current,
        __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"),
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"),
        __builtin_cpu_supports("avx"),
        __builtin_cpu_is("amd"));
    if (!better) return;
    strncpy(replaced, current, sizeof replaced - 1);
    setenv("OPENBLAS_CORETYPE", better, 1);
    quit();
    init();
    unsetenv("OPENBLAS_CORETYPE");
}
