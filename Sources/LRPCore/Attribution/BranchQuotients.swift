/// LRP's second step for all branches of a rule at one layer, fused into one parallel pass: each branch's
/// denominator `z_b = Σ_k c_k·T_k + bias_b[channel]`, its quotient `s_b = R / stab(z_b)` (zero where the
/// recorded output lacks the branch's sign), and the signals `S_j = Σ_b scale_jb · s_b` that the transposed
/// products take. Blocks of elements stay in cache from the first read to the last write.
struct BranchQuotients {
    /// One branch's denominator and where it applies.
    struct Denominator {
        /// The tensors it sums, each with its coefficient (all of the output's shape).
        var terms: [(tensor: Tensor, coefficient: Float)] = []
        /// A constant per output channel, or empty.
        var bias: [Float] = []
        let outputSign: RuleRecipe.OutputSign
    }

    /// How one signal is made: `(branch index, scale)` pairs, at least one, in increasing branch order (the
    /// first writes the signal, so that its storage needs no zeroing; checked).
    typealias Signal = [(branch: Int, scale: Float)]

    let denominators: [Denominator]
    let epsilon: Float
    /// The output's channels (along the layer's output axis) and the elements each channel plane holds.
    let channels: Int
    let planeSize: Int

    /// Elements per block: a few arrays of this many floats stay in the first-level cache.
    private static let blockSize = 2048

    /// The signals for `relevance` at a layer whose recorded output is `output`.
    func signals(_ signals: [Signal], relevance: Tensor, output: Tensor) -> [Tensor] {
        let count = output.count
        // the pass reads and writes through unchecked pointers
        precondition(relevance.count == count && denominators.allSatisfy {
            $0.terms.allSatisfy { $0.tensor.count == count } && ($0.bias.isEmpty || $0.bias.count == channels)
        } && (count == 0 || count % (planeSize * channels) == 0), "BranchQuotients: tensors of different sizes")
        precondition(signals.allSatisfy { parts in
            !parts.isEmpty && zip(parts, parts.dropFirst()).allSatisfy { $0.branch <= $1.branch }
                && parts.allSatisfy { denominators.indices.contains($0.branch) }
        }, "BranchQuotients: a signal without contributions or out of branch order")
        guard count > 0 else { return signals.map { _ in output } }
        // left uninitialized: every signal has a first contribution, which writes each element
        var results = signals.map { _ in [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count } }
        let blocks = (count + BranchQuotients.blockSize - 1) / BranchQuotients.blockSize
        withMutablePointers(&results) { outputs in relevance.withUnsafeBufferPointer { r in
            output.withUnsafeBufferPointer { z in
                Parallel.forEachRange(of: blocks, minimumPerRange: 8) { range in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: BranchQuotients.blockSize)
                    defer { scratch.deallocate() }
                    for block in range {
                        let start = block * BranchQuotients.blockSize
                        let length = min(BranchQuotients.blockSize, count - start)
                        for (branch, denominator) in denominators.enumerated() {
                            sum(denominator, into: scratch, start: start, length: length)
                            divide(r.baseAddress! + start, by: scratch, length: length, epsilon: epsilon,
                                   keeping: denominator.outputSign, of: z.baseAddress! + start)
                            for (signal, parts) in signals.enumerated() {
                                for (position, part) in parts.enumerated() where part.branch == branch {
                                    spread(scratch, scale: part.scale, into: outputs[signal] + start, length: length,
                                           first: position == 0)
                                }
                            }
                        }
                    }
                }
            }
        } }
        return results.map { Tensor(validShape: output.shape, scalars: $0) }
    }

    /// Runs `body` with a pointer to each array's elements.
    private func withMutablePointers(_ arrays: inout [[Float]], _ body: ([UnsafeMutablePointer<Float>]) -> Void) {
        func nest(_ index: Int, _ pointers: [UnsafeMutablePointer<Float>]) {
            guard index < arrays.count else { return body(pointers) }
            var array = arrays[index]
            arrays[index] = []   // `array` is now the only reference: no copy on write below
            array.withUnsafeMutableBufferPointer { nest(index + 1, pointers + [$0.baseAddress!]) }
            arrays[index] = array
        }
        nest(0, [])
    }

    /// `scratch = bias[channel] + Σ c_k·T_k` over one block.
    private func sum(_ denominator: Denominator, into scratch: UnsafeMutablePointer<Float>, start: Int, length: Int) {
        if denominator.bias.isEmpty {
            scratch.update(repeating: 0, count: length)
        } else {
            // plane by plane, the block's first one possibly entered part way (one division per block, so that
            // planes of one element, as a dense layer's, cost no more than a store each)
            var (offset, channel, run) = (0, (start / planeSize) % channels, planeSize - start % planeSize)
            while offset < length {
                run = min(run, length - offset)
                (scratch + offset).update(repeating: denominator.bias[channel], count: run)
                offset += run
                channel = channel + 1 == channels ? 0 : channel + 1
                run = planeSize
            }
        }
        for (tensor, coefficient) in denominator.terms {
            tensor.withUnsafeBufferPointer { values in
                let source = values.baseAddress! + start
                for index in 0..<length { scratch[index] += coefficient * source[index] }
            }
        }
    }

    /// `scratch = R / stab(scratch)` where the recorded output has the wanted sign, zero elsewhere.
    private func divide(
        _ relevance: UnsafePointer<Float>, by scratch: UnsafeMutablePointer<Float>, length: Int, epsilon: Float,
        keeping sign: RuleRecipe.OutputSign, of output: UnsafePointer<Float>
    ) {
        guard sign != .any else {
            for index in 0..<length { scratch[index] = relevance[index] / stabilized(scratch[index], epsilon) }
            return
        }
        let direction: Float = sign == .positive ? 1 : -1
        for index in 0..<length {
            let quotient = relevance[index] / stabilized(scratch[index], epsilon)
            scratch[index] = direction * output[index] > 0 ? quotient : 0
        }
    }

    /// `signal (=|+=) scale · scratch`; the first contribution to a signal writes it.
    private func spread(_ scratch: UnsafeMutablePointer<Float>, scale: Float, into signal: UnsafeMutablePointer<Float>, length: Int, first: Bool) {
        if first {
            for index in 0..<length { signal[index] = scale * scratch[index] }
        } else {
            for index in 0..<length { signal[index] += scale * scratch[index] }
        }
    }
}
