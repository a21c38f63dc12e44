import CWinograd
import Foundation

/// Winograd's minimal filtering F(m×m, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural
/// Networks", 2016): a 3×3 stride-1 convolution computed tile by tile in a transformed domain where it is
/// an element-wise product, so that `m×m` outputs take `(m+2)²` multiplications per channel pair instead of
/// `9m²` (2.25× fewer for F(2×2,3×3), 4× fewer for F(4×4,3×3)).
///
/// For a tile `d` of `α×α` inputs (`α = m + 2`) and a kernel `g`: `Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A`. Summed over
/// input channels, the element-wise products become `α²` independent matrix products
/// `M_e = U_e · V_e` (`U_e`: outputs × inputs, `V_e`: inputs × tiles), computed with `cblas_sgemm` over all
/// tiles of a chunk of images at once.
///
/// The transposed operation of a stride-1 3×3 convolution (its input gradient) is itself such a
/// convolution: with the kernel flipped in both directions, input and output channels swapped, and the
/// padding `2 − p` on each side. ``transformedWeights(_:outputs:inputs:flipped:)`` produces the
/// transform for either direction.
struct Winograd: Sendable {
    /// Outputs per tile side, `m`.
    let tile: Int
    /// Inputs per tile side, `α = m + 2`.
    var span: Int { tile + 2 }
    /// F(2×2, 3×3): transforms with entries 0, ±1 and ±½ (almost exact in float32).
    static let f2 = Winograd(tile: 2)

    /// F(4×4, 3×3) with the points 0, ±1, ±2 (Lavin & Gray's matrices).
    static let f4 = Winograd(tile: 4)

    /// Whether flipping the kernels only permutes their transform, so that the forward transform serves the
    /// transposed product too: F(2,3)'s points 0, ±1, ∞ are closed under `x → 1/x`, which is what reversing a
    /// kernel does to its evaluations (`G·rev(g)` is `G·g` with its first and last entries swapped, exactly,
    /// in float32 too); F(4,3)'s ±2 map to ±½, which are not among its points.
    var flipsByPermutation: Bool { tile == 2 }

    /// The element of the transform of unflipped kernels that equals element `element` of the flipped
    /// kernels' transform, where ``flipsByPermutation``: the first and last index swap along each axis.
    func unflippedElement(_ element: Int) -> Int {
        let last = span - 1
        let (row, column) = element.quotientAndRemainder(dividingBy: span)
        let swap = { (index: Int) in index == 0 ? last : index == last ? 0 : index }
        return swap(row) * span + swap(column)
    }

    /// Tiles per image for an output of `height × width`.
    func tileCount(height: Int, width: Int) -> Int {
        ((height + tile - 1) / tile) * ((width + tile - 1) / tile)
    }

    /// The cost of im2col + GEMM in the unit of ``relativeCost(height:width:inputs:outputs:)``: 9
    /// multiplications per output and channel pair.
    static let im2colCost = 9.0

    /// Time per output element and channel pair, in multiplications, of a product with this tile size whose
    /// output is `height × width`, from `inputs` to `outputs` channels: the transformed products (`α²` per tile,
    /// at 1.1 times im2col's time per multiplication: narrower GEMMs) and the data transforms (6.5 per
    /// transformed element and channel); the weight's transform is made once and kept
    /// (``WinogradWeightCache``). Fitted for F(2,3) by least squares to the ratio of F(2,3)'s to im2col's time
    /// on 25 layer shapes (VGG-11, ResNet-18 and a probe network of 16–1024 channels on 2×2–32×32 outputs;
    /// `LRPBenchmarks --cpu-time`, batch 32) on an Intel Xeon with AVX-512, November 2026, together with a
    /// weight-transform term for the transforms then made per call (docs/performance.md).
    func relativeCost(height: Int, width: Int, inputs: Int, outputs: Int) -> Double {
        let products = Double(span * span * tileCount(height: height, width: width)) / Double(height * width)
        let dataTransforms = 6.5 * products * Double(inputs + outputs) / Double(inputs * outputs)
        return 1.1 * products + dataTransforms
    }

    /// `U_e = (G g Gᵀ)_e` for every kernel of a `[outputs, inputs, 3, 3]` weight, laid out
    /// `[α²][outputs][inputs]`; with `flipped`, the transform of the kernels flipped in both directions, whose
    /// matrices transposed are the weight of the input gradient. Both read the weight in its storage order;
    /// ``convolve(_:images:problem:weights:transposedWeights:flippedWeights:bias:rectified:workspace:output:)`` multiplies
    /// with the matrices transposed.
    func transformedWeights(_ weight: UnsafePointer<Float>, outputs: Int, inputs: Int, flipped: Bool) -> [Float] {
        let count = span * span * outputs * inputs
        return [Float](unsafeUninitializedCapacity: count) { result, initialized in
            Parallel.forEachRange(of: outputs) { rows in
                lrp_winograd_kernels(Int32(tile), weight, outputs, inputs, flipped ? 1 : 0, rows.lowerBound, rows.upperBound,
                                     result.baseAddress!)
            }
            initialized = count
        }
    }

    /// The sizes of one Winograd convolution of a chunk of images.
    struct Problem {
        let inputChannels: Int
        let outputChannels: Int
        let inputHeight: Int
        let inputWidth: Int
        let padTop: Int
        let padLeft: Int
        let outputHeight: Int
        let outputWidth: Int

        var inputImageSize: Int { inputChannels &* inputHeight &* inputWidth }
        var outputImageSize: Int { outputChannels &* outputHeight &* outputWidth }
    }

    /// The most images one call of ``convolve(_:images:problem:weights:transposedWeights:flippedWeights:bias:rectified:workspace:output:)``
    /// takes: as many as keep one channel's padded planes within 32-bit offsets (0 when not even one image fits).
    func maximumImages(_ problem: Problem) -> Int {
        var tiling = TileLayout(winograd: self, problem: problem, images: 0).inputTiling
        let fixed = lrp_winograd_padded_size(Int32(tile), &tiling)
        tiling.images = 1
        return (Int(Int32.max) - fixed) / (lrp_winograd_padded_size(Int32(tile), &tiling) - fixed)
    }

    /// Workspace floats per image, without the rounding of rows to whole vectors: what sizes the chunks.
    func workspacePerImage(_ problem: Problem) -> Int {
        span * span * (problem.inputChannels + problem.outputChannels) * tileCount(height: problem.outputHeight, width: problem.outputWidth)
    }

    /// Workspace floats for `images` images of a problem: the transformed inputs and products of their tiles,
    /// rows rounded up to whole vectors.
    func workspaceSize(_ problem: Problem, images: Int) -> Int {
        span * span * (problem.inputChannels + problem.outputChannels) * TileLayout(winograd: self, problem: problem, images: images).rowLength
    }

    /// Convolves `images` images (`NCHW`, consecutive) with transformed weights `u` into `output` (`NCHW`,
    /// overwritten), adding `bias[channel]` when given and with `rectified` applying ReLU's `max(·, 0)`, using a `workspace` of `workspaceSize(problem, images:)` floats. `u` is laid out
    /// `[α²][problem.outputChannels][problem.inputChannels]`, or with `transposedWeights` each element's matrix
    /// transposed, `[α²][problem.inputChannels][problem.outputChannels]`; for the transposed product it is the
    /// transform of the flipped kernels (`flippedWeights`) or, where ``flipsByPermutation``, of the kernels as
    /// stored, read in the permuted order.
    ///
    /// Three phases, each split across the workers: the input transform by input channel, the `α²` products
    /// by element (taken one at a time), the output transform by output channel. The transforms (`CWinograd`)
    /// work one channel at a time on all tiles of the chunk together, 16 tiles per vector: the input transform
    /// copies the channel's planes into a zero border (a buffer per range of channels, zeroed once per call) and
    /// gathers each tile element from there, the output transform writes the tiles straight back into the
    /// planes, so that `V_e`'s and `M_e`'s rows are written and read whole; the products are as wide as the
    /// chunk has tiles.
    func convolve(
        _ input: UnsafePointer<Float>, images: Int, problem: Problem, weights u: UnsafePointer<Float>,
        transposedWeights: Bool, flippedWeights: Bool, bias: UnsafePointer<Float>?, rectified: Bool,
        workspace: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        let elements = span * span
        let layout = TileLayout(winograd: self, problem: problem, images: images)
        let row = layout.rowLength
        let transformed = workspace
        let products = transformed + elements &* problem.inputChannels &* row
        var inputTiling = layout.inputTiling
        let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: row)
        defer { offsets.deallocate() }
        // the chunk's size (`maximumImages(_:)`) keeps the padded planes within 32-bit offsets
        precondition(lrp_winograd_tile_offsets(Int32(tile), &inputTiling, row, offsets) != 0)
        let paddedSize = lrp_winograd_padded_size(Int32(tile), &inputTiling)
        Parallel.forEachRange(of: problem.inputChannels) { channels in
            var tiling = inputTiling
            let padded = UnsafeMutablePointer<Float>.allocate(capacity: paddedSize)
            padded.initialize(repeating: 0, count: paddedSize)
            defer { padded.deallocate() }
            for channel in channels {
                lrp_winograd_input(Int32(tile), &tiling, offsets, input + channel &* problem.inputHeight &* problem.inputWidth,
                                   padded, transformed + channel &* row, problem.inputChannels &* row, row)
            }
        }
        let permuted = transposedWeights && !flippedWeights
        // one element's product per range: they cost the same, but a worker may start late
        Parallel.forEachRange(of: elements, rangesPerWorker: elements) { range in
            for element in range {
                let weights = permuted ? unflippedElement(element) : element
                BLAS.gemm(transposeA: transposedWeights, transposeB: false,
                          m: problem.outputChannels, n: layout.tiles, k: problem.inputChannels,
                          a: u + weights &* problem.outputChannels &* problem.inputChannels,
                          lda: transposedWeights ? problem.outputChannels : problem.inputChannels,
                          b: transformed + element &* problem.inputChannels &* row, ldb: row,
                          c: products + element &* problem.outputChannels &* row, ldc: row)
            }
        }
        // the output transform runs on whole vectors: the columns past the last tile must hold numbers
        if row > layout.tiles {
            for index in 0..<(elements &* problem.outputChannels) {
                (products + (index &* row &+ layout.tiles)).update(repeating: 0, count: row &- layout.tiles)
            }
        }
        Parallel.forEachRange(of: problem.outputChannels) { channels in
            var tiling = layout.outputTiling
            for channel in channels {
                lrp_winograd_output(Int32(tile), &tiling, products + channel &* row, problem.outputChannels &* row, bias?[channel] ?? 0,
                                    rectified ? 1 : 0, output + channel &* problem.outputHeight &* problem.outputWidth, row)
            }
        }
    }

    /// Tiles per vector of the data transforms (`CWinograd`'s lane count): rows are padded to a multiple.
    static let lanes = 16
}

/// Where the tiles of a chunk lie: tile `p = image · tilesPerImage + tileRow · tileColumns + tileColumn`, in
/// rows of `rowLength` floats (the tile count rounded up to whole vectors; the extra columns are zero).
struct TileLayout {
    let winograd: Winograd
    let problem: Winograd.Problem
    let images: Int
    let tileRows: Int
    let tileColumns: Int
    var tilesPerImage: Int { tileRows &* tileColumns }
    var tiles: Int { images &* tilesPerImage }
    var rowLength: Int { (tiles + Winograd.lanes - 1) / Winograd.lanes * Winograd.lanes }

    init(winograd: Winograd, problem: Winograd.Problem, images: Int) {
        (self.winograd, self.problem, self.images) = (winograd, problem, images)
        tileRows = (problem.outputHeight + winograd.tile - 1) / winograd.tile
        tileColumns = (problem.outputWidth + winograd.tile - 1) / winograd.tile
    }

    /// The tiles on one input channel's planes, for `lrp_winograd_input`.
    var inputTiling: lrp_winograd_tiling {
        lrp_winograd_tiling(images: images, image_stride: problem.inputImageSize, height: problem.inputHeight,
                            width: problem.inputWidth, pad_top: problem.padTop, pad_left: problem.padLeft,
                            tile_rows: tileRows, tile_columns: tileColumns)
    }

    /// The tiles on one output channel's planes, for `lrp_winograd_output`.
    var outputTiling: lrp_winograd_tiling {
        lrp_winograd_tiling(images: images, image_stride: problem.outputImageSize, height: problem.outputHeight,
                            width: problem.outputWidth, pad_top: 0, pad_left: 0, tile_rows: tileRows, tile_columns: tileColumns)
    }
}
