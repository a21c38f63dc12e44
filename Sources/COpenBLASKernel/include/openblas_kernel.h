// Choosing OpenBLAS's CPU kernel when the library is loaded (see openblas_kernel.c).
#ifndef LRP_OPENBLAS_KERNEL_H
#define LRP_OPENBLAS_KERNEL_H

/// Whether `core_name` is one of OpenBLAS's generic kernels, which it falls back to on CPUs it does not recognize.
int lrp_openblas_is_generic_fallback(const char *core_name);

/// The OPENBLAS_CORETYPE to switch to from the kernel `core_name`, or NULL to keep it: a generic fallback
/// (Prescott and its kind) on a CPU with AVX-512 (`avx512`: F and BW), AVX2 with FMA, or AVX gets the
/// kernel written for it (`amd`: the vendor is AMD).
const char *lrp_openblas_recommended_coretype(const char *core_name, int avx512, int avx2_fma, int avx, int amd);

/// The kernel OpenBLAS had chosen when SwiftLRP replaced it at load time, or NULL when it kept it.
const char *lrp_openblas_replaced_coretype(void);

#endif
