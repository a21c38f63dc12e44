// Winograd data transforms, written out from the transform matrices so that each 1-D pass is a few adds and
// multiplies on 16-tile vectors. Compiled for AVX-512, AVX2 and baseline x86-64 (or the target's default
// elsewhere); the loader picks the best the CPU runs.
#include "winograd_transforms.h"
#include <string.h>

#define LANES 16
#define FOR_LANES for (int l = 0; l < LANES; l++)

#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#endif
#ifndef MULTIVERSION
#define MULTIVERSION
#endif

// Bᵀ for F(2,3): rows [1 0 -1 0], [0 1 1 0], [0 -1 1 0], [0 1 0 -1]
#define INPUT_F2(d0, d1, d2, d3, r0, r1, r2, r3) \
    FOR_LANES { float a0 = (d0)[l], a1 = (d1)[l], a2 = (d2)[l], a3 = (d3)[l]; \
        (r0)[l] = a0 - a2; (r1)[l] = a1 + a2; (r2)[l] = a2 - a1; (r3)[l] = a1 - a3; }

// Bᵀ for F(4,3): rows [4 0 -5 0 1 0], [0 -4 -4 1 1 0], [0 4 -4 -1 1 0], [0 -2 -1 2 1 0], [0 2 -1 -2 1 0],
// [0 4 0 -5 0 1]
#define INPUT_F4(d0, d1, d2, d3, d4, d5, r0, r1, r2, r3, r4, r5) \
    FOR_LANES { float a0 = (d0)[l], a1 = (d1)[l], a2 = (d2)[l], a3 = (d3)[l], a4 = (d4)[l], a5 = (d5)[l]; \
        float p = a4 - 4.0f * a2, q = a3 - 4.0f * a1, s = a4 - a2, t = 2.0f * (a3 - a1); \
        (r0)[l] = 4.0f * a0 - 5.0f * a2 + a4; (r1)[l] = p + q; (r2)[l] = p - q; (r3)[l] = s + t; (r4)[l] = s - t; \
        (r5)[l] = 4.0f * a1 - 5.0f * a3 + a5; }

// Aᵀ for F(2,3): rows [1 1 1 0], [0 1 -1 -1]
#define OUTPUT_F2(m0, m1, m2, m3, o0, o1) \
    FOR_LANES { float a0 = (m0)[l], a1 = (m1)[l], a2 = (m2)[l], a3 = (m3)[l]; \
        (o0)[l] = a0 + a1 + a2; (o1)[l] = a1 - a2 - a3; }

// Aᵀ for F(4,3): rows [1 1 1 1 1 0], [0 1 -1 2 -2 0], [0 1 1 4 4 0], [0 1 -1 8 -8 1]
#define OUTPUT_F4(m0, m1, m2, m3, m4, m5, o0, o1, o2, o3) \
    FOR_LANES { float a0 = (m0)[l], a1 = (m1)[l], a2 = (m2)[l], a3 = (m3)[l], a4 = (m4)[l], a5 = (m5)[l]; \
        float sum12 = a1 + a2, diff12 = a1 - a2, sum34 = a3 + a4, diff34 = a3 - a4; \
        (o0)[l] = a0 + sum12 + sum34; (o1)[l] = diff12 + 2.0f * diff34; (o2)[l] = sum12 + 4.0f * sum34; \
        (o3)[l] = diff12 + 8.0f * diff34 + a5; }

// One block of 16 tiles: the input transform from a block `s` (element e of lane l at s[e·LANES + l]) to rows
// `dst_stride` apart, and the output transform from rows `src_stride` apart to a block `o` (element e at
// o[e·LANES + l]). `tile` is a constant after inlining.
static inline __attribute__((always_inline)) void input_block(const int tile, const float *s, float *o, ptrdiff_t dst_stride) {
    if (tile == 2) {
        float h[16][LANES];
        for (int b = 0; b < 4; b++)
            INPUT_F2(&s[(0 * 4 + b) * LANES], &s[(1 * 4 + b) * LANES], &s[(2 * 4 + b) * LANES], &s[(3 * 4 + b) * LANES],
                     h[0 * 4 + b], h[1 * 4 + b], h[2 * 4 + b], h[3 * 4 + b])
        for (int u = 0; u < 4; u++)
            INPUT_F2(h[u * 4 + 0], h[u * 4 + 1], h[u * 4 + 2], h[u * 4 + 3],
                     &o[(u * 4 + 0) * dst_stride], &o[(u * 4 + 1) * dst_stride], &o[(u * 4 + 2) * dst_stride],
                     &o[(u * 4 + 3) * dst_stride])
    } else {
        float h[36][LANES];
        for (int b = 0; b < 6; b++)
            INPUT_F4(&s[(0 * 6 + b) * LANES], &s[(1 * 6 + b) * LANES], &s[(2 * 6 + b) * LANES], &s[(3 * 6 + b) * LANES],
                     &s[(4 * 6 + b) * LANES], &s[(5 * 6 + b) * LANES],
                     h[0 * 6 + b], h[1 * 6 + b], h[2 * 6 + b], h[3 * 6 + b], h[4 * 6 + b], h[5 * 6 + b])
        for (int u = 0; u < 6; u++)
            INPUT_F4(h[u * 6 + 0], h[u * 6 + 1], h[u * 6 + 2], h[u * 6 + 3], h[u * 6 + 4], h[u * 6 + 5],
                     &o[(u * 6 + 0) * dst_stride], &o[(u * 6 + 1) * dst_stride], &o[(u * 6 + 2) * dst_stride],
                     &o[(u * 6 + 3) * dst_stride], &o[(u * 6 + 4) * dst_stride], &o[(u * 6 + 5) * dst_stride])
    }
}

static inline __attribute__((always_inline)) void output_block(const int tile, const float *s, ptrdiff_t src_stride, float *o) {
    if (tile == 2) {
        float h[8][LANES];
        for (int v = 0; v < 4; v++)
            OUTPUT_F2(&s[(0 * 4 + v) * src_stride], &s[(1 * 4 + v) * src_stride], &s[(2 * 4 + v) * src_stride],
                      &s[(3 * 4 + v) * src_stride], h[0 * 4 + v], h[1 * 4 + v])
        for (int i = 0; i < 2; i++)
            OUTPUT_F2(h[i * 4 + 0], h[i * 4 + 1], h[i * 4 + 2], h[i * 4 + 3], &o[(i * 2 + 0) * LANES], &o[(i * 2 + 1) * LANES])
    } else {
        float h[24][LANES];
        for (int v = 0; v < 6; v++)
            OUTPUT_F4(&s[(0 * 6 + v) * src_stride], &s[(1 * 6 + v) * src_stride], &s[(2 * 6 + v) * src_stride],
                      &s[(3 * 6 + v) * src_stride], &s[(4 * 6 + v) * src_stride], &s[(5 * 6 + v) * src_stride],
                      h[0 * 6 + v], h[1 * 6 + v], h[2 * 6 + v], h[3 * 6 + v])
        for (int i = 0; i < 4; i++)
            OUTPUT_F4(h[i * 6 + 0], h[i * 6 + 1], h[i * 6 + 2], h[i * 6 + 3], h[i * 6 + 4], h[i * 6 + 5],
                      &o[(i * 4 + 0) * LANES], &o[(i * 4 + 1) * LANES], &o[(i * 4 + 2) * LANES], &o[(i * 4 + 3) * LANES])
    }
}

// Walks the tiles of a chunk in order: image, tile row, tile column.
typedef struct {
    ptrdiff_t image, row, column;
} cursor;

static inline void advance(cursor *c, const lrp_winograd_tiling *t) {
    if (++c->column == t->tile_columns) {
        c->column = 0;
        if (++c->row == t->tile_rows) { c->row = 0; c->image++; }
    }
}

// The padded planes: rows and columns covering every tile, the plane at (pad_top, pad_left) inside them.
static inline ptrdiff_t padded_rows(int tile, const lrp_winograd_tiling *t) { return t->tile_rows * tile + 2; }
static inline ptrdiff_t padded_columns(int tile, const lrp_winograd_tiling *t) { return t->tile_columns * tile + 2; }

ptrdiff_t lrp_winograd_padded_size(int tile, const lrp_winograd_tiling *t) {
    return (t->images * padded_rows(tile, t) + tile + 2) * padded_columns(tile, t);
}

int lrp_winograd_tile_offsets(int tile, const lrp_winograd_tiling *t, ptrdiff_t count, int32_t *offsets) {
    const ptrdiff_t columns = padded_columns(tile, t), image = padded_rows(tile, t) * columns;
    if (lrp_winograd_padded_size(tile, t) > INT32_MAX) return 0;
    cursor c = {0, 0, 0};
    for (ptrdiff_t p = 0; p < count; p++, advance(&c, t))
        offsets[p] = (int32_t)(c.image < t->images ? c.image * image + c.row * tile * columns + c.column * tile
                                                   : t->images * image);
    return 1;
}

static inline __attribute__((always_inline)) void input_tiles(const int tile, const lrp_winograd_tiling *t, const int32_t *offsets,
                                                              const float *plane, float *padded, float *dst,
                                                              ptrdiff_t dst_stride, ptrdiff_t count) {
    const int span = tile + 2;
    const ptrdiff_t columns = padded_columns(tile, t), image = padded_rows(tile, t) * columns;
    for (ptrdiff_t i = 0; i < t->images; i++)
        for (ptrdiff_t y = 0; y < t->height; y++)
            memcpy(padded + i * image + (y + t->pad_top) * columns + t->pad_left, plane + i * t->image_stride + y * t->width,
                   (size_t)t->width * sizeof(float));
    float d[36 * LANES];
    for (ptrdiff_t first = 0; first < count; first += LANES) {
        const int32_t *o = offsets + first;
        // one gather per element of 16 tiles. Left to itself, clang vectorized F(4,3)'s 6×6 loads along the
        // tile's rows and scattered them into `d` lane by lane (AVX-512 scatters, 6 per tile): 14% of a
        // ResNet-18 `lrp predict`'s samples, against 9% with the gathers.
#pragma clang loop vectorize(disable) unroll(disable)
        for (int e = 0; e < span * span; e++) {
            const float *element = padded + (e / span) * columns + e % span;
            float *lanes = d + e * LANES;
#pragma clang loop vectorize(enable) vectorize_width(16) interleave_count(1)
            for (int l = 0; l < LANES; l++) lanes[l] = element[o[l]];
        }
        input_block(tile, d, dst + first, dst_stride);
    }
}

// v, or as ReLU's max(v, 0) when `rectify` (NaN stays NaN, -0 becomes 0, as Swift's max(v, 0))
static inline __attribute__((always_inline)) float rectified(const int rectify, const float v) {
    return rectify && 0.0f >= v ? 0.0f : v;
}

static inline __attribute__((always_inline)) void output_tiles(const int tile, const int rectify, const lrp_winograd_tiling *t,
                                                               const float *src, ptrdiff_t src_stride, float offset,
                                                               float *plane, ptrdiff_t count) {
    const ptrdiff_t height = t->height, width = t->width;
    float o[16 * LANES];
    cursor c = {0, 0, 0};
    for (ptrdiff_t first = 0; first < count && c.image < t->images; first += LANES) {
        output_block(tile, src + first, src_stride, o);
        for (int l = 0; l < LANES && c.image < t->images; l++, advance(&c, t)) {
            const ptrdiff_t y0 = c.row * tile, x0 = c.column * tile;
            float *target = plane + c.image * t->image_stride;
            if (y0 + tile <= height && x0 + tile <= width) {
                for (int i = 0; i < tile; i++)
                    for (int j = 0; j < tile; j++) target[(y0 + i) * width + x0 + j] = rectified(rectify, o[(i * tile + j) * LANES + l] + offset);
            } else {
                for (int i = 0; i < tile && y0 + i < height; i++)
                    for (int j = 0; j < tile && x0 + j < width; j++)
                        target[(y0 + i) * width + x0 + j] = rectified(rectify, o[(i * tile + j) * LANES + l] + offset);
            }
        }
    }
}

MULTIVERSION
void lrp_winograd_input(int tile, const lrp_winograd_tiling *tiling, const int32_t *offsets, const float *plane,
                        float *padded, float *dst, ptrdiff_t dst_stride, ptrdiff_t count) {
    if (tile == 2) input_tiles(2, tiling, offsets, plane, padded, dst, dst_stride, count);
    else input_tiles(4, tiling, offsets, plane, padded, dst, dst_stride, count);
}

MULTIVERSION
void lrp_winograd_output(int tile, const lrp_winograd_tiling *tiling, const float *src, ptrdiff_t src_stride, float offset,
                         int rectify, float *plane, ptrdiff_t count) {
    if (tile == 2) {
        if (rectify) output_tiles(2, 1, tiling, src, src_stride, offset, plane, count);
        else output_tiles(2, 0, tiling, src, src_stride, offset, plane, count);
    } else {
        if (rectify) output_tiles(4, 1, tiling, src, src_stride, offset, plane, count);
        else output_tiles(4, 0, tiling, src, src_stride, offset, plane, count);
    }
}

// G for F(2,3): rows [1 0 0], [½ ½ ½], [½ -½ ½], [0 0 1]
#define KERNEL_F2(g0, g1, g2, r0, r1, r2, r3) \
    for (int l = 0; l < n; l++) { float a0 = (g0)[l], a1 = (g1)[l], a2 = (g2)[l]; \
        float even = 0.5f * (a0 + a2); \
        (r0)[l] = a0; (r1)[l] = even + 0.5f * a1; (r2)[l] = even - 0.5f * a1; (r3)[l] = a2; }

// G for F(4,3): rows [¼ 0 0], [-⅙ -⅙ -⅙], [-⅙ ⅙ -⅙], [1/24 1/12 ⅙], [1/24 -1/12 ⅙], [0 0 1]
#define KERNEL_F4(g0, g1, g2, r0, r1, r2, r3, r4, r5) \
    for (int l = 0; l < n; l++) { float a0 = (g0)[l], a1 = (g1)[l], a2 = (g2)[l]; \
        float outer = -(a0 + a2) / 6.0f, middle = a1 / 6.0f, near = a0 / 24.0f + a2 / 6.0f, step = a1 / 12.0f; \
        (r0)[l] = a0 / 4.0f; (r1)[l] = outer - middle; (r2)[l] = outer + middle; (r3)[l] = near + step; \
        (r4)[l] = near - step; (r5)[l] = a2; }

MULTIVERSION
void lrp_winograd_kernels(int tile, const float *weights, ptrdiff_t outputs, ptrdiff_t inputs, int flipped,
                          ptrdiff_t output_begin, ptrdiff_t output_end, float *dst) {
    const int span = tile + 2;
    const ptrdiff_t matrix = outputs * inputs;
    float g[9][LANES], h[18][LANES], u[36][LANES];
    for (ptrdiff_t o = output_begin; o < output_end; o++) {
        // the kernels of one output channel lie one after another: 16 of them are 144 consecutive floats
        for (ptrdiff_t column = 0; column < inputs; column += LANES) {
            const int n = (int)(inputs - column < LANES ? inputs - column : LANES);
            const float *kernels = weights + (o * inputs + column) * 9;
            for (int l = 0; l < n; l++)
                for (int e = 0; e < 9; e++) g[e][l] = kernels[l * 9 + (flipped ? 8 - e : e)];
            // h[a][j] = Σ_i G[a][i] g[i][j], then u[a][b] = Σ_j G[b][j] h[a][j]
            if (tile == 2) {
                for (int j = 0; j < 3; j++) KERNEL_F2(g[j], g[3 + j], g[6 + j], h[j], h[3 + j], h[6 + j], h[9 + j])
                for (int a = 0; a < 4; a++)
                    KERNEL_F2(h[a * 3], h[a * 3 + 1], h[a * 3 + 2], u[a * 4], u[a * 4 + 1], u[a * 4 + 2], u[a * 4 + 3])
            } else {
                for (int j = 0; j < 3; j++)
                    KERNEL_F4(g[j], g[3 + j], g[6 + j], h[j], h[3 + j], h[6 + j], h[9 + j], h[12 + j], h[15 + j])
                for (int a = 0; a < 6; a++)
                    KERNEL_F4(h[a * 3], h[a * 3 + 1], h[a * 3 + 2], u[a * 6], u[a * 6 + 1], u[a * 6 + 2], u[a * 6 + 3],
                              u[a * 6 + 4], u[a * 6 + 5])
            }
            for (int e = 0; e < span * span; e++) {
                float *target = dst + e * matrix + o * inputs + column;
                for (int l = 0; l < n; l++) target[l] = u[e][l];
            }
        }
    }
}
