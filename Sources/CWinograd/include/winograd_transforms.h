// Winograd's minimal filtering F(m×m, 3×3) for m = 2 and 4 (Lavin & Gray 2016): the data transforms over all
// tiles of one channel of a chunk of images, 16 tiles per vector (the input transform from a zero-bordered copy
// of the channel's planes, the output transform straight into them); and the kernel transform.
#ifndef LRP_WINOGRAD_TRANSFORMS_H
#define LRP_WINOGRAD_TRANSFORMS_H

#include <stddef.h>
#include <stdint.h>

/// Where the tiles of one channel lie. Tile `p = (image · tile_rows + tile_row) · tile_columns + tile_column` covers
/// the plane's rows from `tile_row · m − pad_top` and columns from `tile_column · m − pad_left` (α of them on input,
/// m on output); what lies outside the plane reads as zero and is not written.
typedef struct {
    /// Images in the chunk, and the floats between one channel's planes of consecutive images.
    ptrdiff_t images, image_stride;
    /// The plane's size.
    ptrdiff_t height, width;
    /// The padding before the first tile (zero for outputs).
    ptrdiff_t pad_top, pad_left;
    /// Tiles per image in each direction.
    ptrdiff_t tile_rows, tile_columns;
} lrp_winograd_tiling;

/// Floats of one channel's padded planes for a chunk (see `lrp_winograd_input`): each image's plane inside a zero
/// border that covers every tile, then one tile's rows of zeros for the lanes past the last tile.
ptrdiff_t lrp_winograd_padded_size(int tile, const lrp_winograd_tiling *tiling);
/// Where tiles 0 ..< count (a multiple of 16) start in the padded planes, for `lrp_winograd_input`; the same for
/// every channel. Tiles past the last start in the trailing zeros. False, writing nothing, when the padded planes
/// are too large for 32-bit offsets.
int lrp_winograd_tile_offsets(int tile, const lrp_winograd_tiling *tiling, ptrdiff_t count, int32_t *offsets);
/// V = Bᵀ d B for every tile of one channel (`plane`: the first image's), tile `m` = `tile` (2 or 4), `offsets`
/// from `lrp_winograd_tile_offsets`: element (a, b) of tile p goes to dst[(a·α + b)·dst_stride + p] for p < count,
/// zero past the last tile. The channel's planes are first copied into `padded`
/// (`lrp_winograd_padded_size` floats, zero when first given and passed again unchanged for the next channel of
/// the same tiling: only the planes' own positions are written), so that every tile element is one gather.
void lrp_winograd_input(int tile, const lrp_winograd_tiling *tiling, const int32_t *offsets, const float *plane,
                        float *padded, float *dst, ptrdiff_t dst_stride, ptrdiff_t count);
/// Y = Aᵀ M A + offset for every tile of one channel (`offset`: the channel's bias, or 0), and with `rectify` max(Y, 0)
/// as ReLU (NaN stays NaN): element (a, b) of tile p's product at src[(a·α + b)·src_stride + p] (p < count, a multiple
/// of 16 covering every tile); writes each tile's m×m outputs that lie inside the plane.
void lrp_winograd_output(int tile, const lrp_winograd_tiling *tiling, const float *src, ptrdiff_t src_stride, float offset,
                         int rectify, float *plane, ptrdiff_t count);

/// U = G g Gᵀ for the 3×3 kernels of a weight [outputs, inputs, 3, 3] (tile 2 or 4), laid out [α²][outputs][inputs],
/// of the kernels as stored or, with `flipped`, of the kernels flipped in both directions (the transposed
/// convolution's, whose weight is then each element's matrix transposed). Writes the rows of outputs
/// `output_begin ..< output_end` of each element, reading the weight in its storage order.
void lrp_winograd_kernels(int tile, const float *weights, ptrdiff_t outputs, ptrdiff_t inputs, int flipped,
                          ptrdiff_t output_begin, ptrdiff_t output_end, float *dst);

#endif
