// The data transforms of Winograd's minimal filtering F(m×m, 3×3) for m = 2 and 4 (Lavin & Gray 2016),
// over many tiles at once. Element (a, b) of tile t lies at src[(a·α + b)·src_stride + t]; element (u, v)
// of the result goes to dst[(u·k + v)·dst_stride + t] (k = α for the input transform, m for the output).
// `count` is a multiple of 16.
#ifndef LRP_WINOGRAD_TRANSFORMS_H
#define LRP_WINOGRAD_TRANSFORMS_H

#include <stddef.h>

/// V = Bᵀ d B for α×α = 4×4 input tiles (F(2×2, 3×3)).
void lrp_winograd_input_f2(const float *src, ptrdiff_t src_stride, float *dst, ptrdiff_t dst_stride, ptrdiff_t count);
/// V = Bᵀ d B for 6×6 input tiles (F(4×4, 3×3)).
void lrp_winograd_input_f4(const float *src, ptrdiff_t src_stride, float *dst, ptrdiff_t dst_stride, ptrdiff_t count);
/// Y = Aᵀ M A: 4×4 products to 2×2 outputs (F(2×2, 3×3)).
void lrp_winograd_output_f2(const float *src, ptrdiff_t src_stride, float *dst, ptrdiff_t dst_stride, ptrdiff_t count);
/// Y = Aᵀ M A: 6×6 products to 4×4 outputs (F(4×4, 3×3)).
void lrp_winograd_output_f4(const float *src, ptrdiff_t src_stride, float *dst, ptrdiff_t dst_stride, ptrdiff_t count);

/// U = G g Gᵀ for the 3×3 kernels of a weight [outputs, inputs, 3, 3] (tile 2 or 4), laid out [α²][rows][columns]
/// with rows × columns = outputs × inputs, or with `transposed` the flipped kernels with the channels swapped,
/// inputs × outputs (the transposed convolution's weight). Writes rows `row_begin ..< row_end` of each element.
void lrp_winograd_kernels(int tile, const float *weights, ptrdiff_t outputs, ptrdiff_t inputs, int transposed,
                          ptrdiff_t row_begin, ptrdiff_t row_end, float *dst);

#endif
