/// A box of elements inside a larger tensor, every `steps[axis]`-th element from `starts[axis]` along each
/// axis: what slicing reads, padding writes and concatenation writes part by part. Shapes include the
/// batch dimension; the caller has checked that the region lies inside the container.
struct StridedRegion {
    /// The container's shape.
    let container: [Int]
    /// The region's shape (the sliced tensor's).
    let shape: [Int]
    let starts: [Int]
    let steps: [Int]

    /// The contiguous block at `offset` along `axis` of `shape`'s size there (a concatenation's part).
    init(container: [Int], block shape: [Int], axis: Int, offset: Int) {
        var starts = [Int](repeating: 0, count: shape.count)
        starts[axis] = offset
        self.init(container: container, shape: shape, starts: starts, steps: [Int](repeating: 1, count: shape.count))
    }

    init(container: [Int], shape: [Int], starts: [Int], steps: [Int]) {
        (self.container, self.shape, self.starts, self.steps) = (container, shape, starts, steps)
    }

    /// The region's elements, copied out of `tensor` (of the container's shape).
    func gather(from tensor: Tensor) -> Tensor {
        var result = Tensor(zerosWithValidShape: shape)
        tensor.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                forEachRow { regionOffset, containerOffset, count, step in
                    for index in 0 ..< count { target[regionOffset &+ index] = source[containerOffset &+ index &* step] }
                }
            }
        }
        return result
    }

    /// Adds `values` (of the region's shape) into the region of `tensor`.
    func scatter(_ values: Tensor, into tensor: inout Tensor) {
        values.withUnsafeBufferPointer { source in
            tensor.withUnsafeMutableBufferPointer { target in
                forEachRow { regionOffset, containerOffset, count, step in
                    for index in 0 ..< count { target[containerOffset &+ index &* step] += source[regionOffset &+ index] }
                }
            }
        }
    }

    /// Calls `body(regionOffset, containerOffset, count, step)` for each run of the region along its last axis.
    private func forEachRow(_ body: (Int, Int, Int, Int) -> Void) {
        let rank = shape.count
        guard rank > 0, shape.allSatisfy({ $0 > 0 }) else { return }
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * container[axis + 1] }
        let row = shape[rank - 1], rowStep = steps[rank - 1] * strides[rank - 1]
        var position = [Int](repeating: 0, count: rank)
        var base = zip(starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
        var regionOffset = 0
        for _ in 0 ..< shape.reduce(1, *) / row {
            body(regionOffset, base, row, rowStep)
            regionOffset += row
            var axis = rank - 2
            while axis >= 0 {
                position[axis] += 1
                base += steps[axis] * strides[axis]
                if position[axis] < shape[axis] { break }
                base -= steps[axis] * strides[axis] * shape[axis]
                position[axis] = 0
                axis -= 1
            }
        }
    }
}
