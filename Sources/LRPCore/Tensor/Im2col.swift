/// im2col and its transpose col2im for a chunk of images, plus the moves between `NCHW` and the chunk
/// layout that one GEMM over several images produces.
///
/// Column layout for a chunk of `images` images of one group of `channels` channels: row
/// `(c · kh + i) · kw + j`, column `b · P + p` with `P = outH · outW`, so that one GEMM covers the chunk.
enum Im2col {
    /// Spatial sizes of one im2col problem.
    struct Geometry {
        let window: SlidingWindow
        let inputHeight: Int
        let inputWidth: Int
        let output: Size2D
        var planeSize: Int { output.height * output.width }
        var inputPlaneSize: Int { inputHeight * inputWidth }
    }

    /// Writes the receptive fields of `images` images, starting at `source`, into `columns`.
    /// `imageStride` is the distance between consecutive images in `source`.
    static func unfold(
        _ source: UnsafePointer<Float>, imageStride: Int, images: Int, channels: Int,
        geometry: Geometry, into columns: UnsafeMutablePointer<Float>
    ) {
        forEachKernelRow(geometry: geometry, channels: channels, images: images) { channel, image, rowStart, inRow, outColumns, inColumnOffset in
            let destination = columns + rowStart
            guard let inRow else {
                destination.update(repeating: 0, count: geometry.output.width)
                return
            }
            let sourceRow = source + (image &* imageStride &+ channel &* geometry.inputPlaneSize &+ inRow &* geometry.inputWidth)
            let stride = geometry.window.stride.width
            destination.update(repeating: 0, count: outColumns.lowerBound)
            for column in outColumns {
                destination[column] = sourceRow[column &* stride &+ inColumnOffset]
            }
            (destination + outColumns.upperBound).update(
                repeating: 0, count: geometry.output.width - outColumns.upperBound)
        }
    }

    /// Adds the columns back onto the image positions they were taken from (the transpose of ``unfold``).
    /// `destination` must be zeroed (or hold values to add to) for the images' channels.
    static func fold(
        _ columns: UnsafePointer<Float>, images: Int, channels: Int, geometry: Geometry,
        into destination: UnsafeMutablePointer<Float>, imageStride: Int
    ) {
        forEachKernelRow(geometry: geometry, channels: channels, images: images) { channel, image, rowStart, inRow, outColumns, inColumnOffset in
            guard let inRow else { return }
            let target = destination + (image &* imageStride &+ channel &* geometry.inputPlaneSize &+ inRow &* geometry.inputWidth)
            let source = columns + rowStart
            let stride = geometry.window.stride.width
            for column in outColumns {
                target[column &* stride &+ inColumnOffset] += source[column]
            }
        }
    }

    /// Visits every (kernel row, image, output row) of the column matrix. `body` receives the channel,
    /// the image, the flat offset of that output row in the column matrix, the input row
    /// (`nil` when it falls in the padding), the output columns whose input column is inside the image, and
    /// the input column of output column 0.
    @inline(__always)
    private static func forEachKernelRow(
        geometry: Geometry, channels: Int, images: Int,
        _ body: (Int, Int, Int, Int?, Range<Int>, Int) -> Void
    ) {
        let window = geometry.window
        let (outHeight, outWidth) = (geometry.output.height, geometry.output.width)
        let plane = geometry.planeSize
        let rowLength = images &* plane
        var kernelRow = 0
        for channel in 0..<channels {
            for i in 0..<window.kernel.height {
                let rowOffset = i &* window.dilation.height &- window.padding.top
                for j in 0..<window.kernel.width {
                    let columnOffset = j &* window.dilation.width &- window.padding.left
                    let validColumns = SlidingWindow.validOutputRange(
                        offset: columnOffset, stride: window.stride.width,
                        inputSize: geometry.inputWidth, outputSize: outWidth)
                    for image in 0..<images {
                        for outRow in 0..<outHeight {
                            let inRow = outRow &* window.stride.height &+ rowOffset
                            let isInside = inRow >= 0 && inRow < geometry.inputHeight
                            body(channel, image, kernelRow &* rowLength &+ image &* plane &+ outRow &* outWidth,
                                 isInside ? inRow : nil, validColumns, columnOffset)
                        }
                    }
                    kernelRow &+= 1
                }
            }
        }
    }

    /// Copies `rows` planes of `planeSize` for each of `images` images from `NCHW` (starting at `source`,
    /// images `imageStride` apart) into the chunk layout `[row][image][plane]`.
    static func gather(
        _ source: UnsafePointer<Float>, imageStride: Int, images: Int, rows: Int, planeSize: Int,
        into chunk: UnsafeMutablePointer<Float>
    ) {
        for row in 0..<rows {
            for image in 0..<images {
                (chunk + (row &* images &+ image) &* planeSize)
                    .update(from: source + (image &* imageStride &+ row &* planeSize), count: planeSize)
            }
        }
    }

    /// The inverse of ``gather``: copies the chunk layout back into `NCHW`.
    static func scatter(
        _ chunk: UnsafePointer<Float>, images: Int, rows: Int, planeSize: Int,
        into destination: UnsafeMutablePointer<Float>, imageStride: Int
    ) {
        for row in 0..<rows {
            for image in 0..<images {
                (destination + (image &* imageStride &+ row &* planeSize))
                    .update(from: chunk + (row &* images &+ image) &* planeSize, count: planeSize)
            }
        }
    }
}
