import LRPCore
import LRPData
import LRPVisualization

/// Region perturbation ("pixel flipping", Samek et al. 2017): patches of the input are replaced (by a
/// constant or by their blurred selves) one after another, in the order an explanation ranks them, and the
/// target's score is recorded after each step. A faithful explanation makes the score fall fast when the most relevant patches go first:
/// a large area over the perturbation curve (AOPC).
///
/// ```swift
/// let perturbation = try RegionPerturbation(patchSize: 4, steps: 16, replacement: .blur(sigma: 2))
/// let curves = try perturbation.curves(model: model, input: images, relevance: relevance, targets: targets, order: .mostRelevantFirst)
/// let aopc = RegionPerturbation.aopc(curves)
/// ```
public struct RegionPerturbation: Sendable {
    /// The order in which patches are replaced.
    public enum Order: Sendable, Hashable {
        case mostRelevantFirst, leastRelevantFirst
        /// A random order, reproducible for the seed: the baseline every explanation should beat.
        case random(seed: UInt64)
    }

    /// What a replaced pixel becomes.
    public enum Replacement: Sendable, Hashable, CustomStringConvertible {
        /// A constant: one value for all channels or one per channel.
        case constant([Float])
        /// The same pixel of the input blurred by a Gaussian of this standard deviation (in pixels): removes
        /// the patch's detail without the out-of-distribution edges a constant leaves.
        case blur(sigma: Float)

        /// Parses `value:V[,V,…]` (or a bare number list) and `blur:SIGMA`.
        /// - Throws: `LRPError` (`.parameter`) quoting the specification.
        public init(spec: String) throws {
            let (name, argument) = spec.trimmingCharacters(in: .whitespaces).splitOnce(":")
            guard case .success(let numbers) = (name == "value" || name == "blur" ? argument ?? "" : spec).numbers(), !numbers.isEmpty else {
                throw LRPError(.parameter, "perturbation '\(spec)': expected value:V[,V,…] or blur:SIGMA")
            }
            if name == "blur" {
                guard numbers.count == 1, numbers[0] > 0 else { throw LRPError(.parameter, "perturbation '\(spec)': blur takes one positive standard deviation") }
                self = .blur(sigma: numbers[0])
            } else {
                self = .constant(numbers)
            }
        }

        public var description: String {
            switch self {
            case .constant(let values): "value:" + values.map { String(format: "%g", $0) }.joined(separator: ",")
            case .blur(let sigma): "blur:\(String(format: "%g", sigma))"
            }
        }
    }

    /// Patches are `patchSize × patchSize` pixels (all channels), on a grid from the top left.
    public let patchSize: Int
    /// How many patches are replaced (the curve has `steps + 1` points).
    public let steps: Int
    /// What replaced pixels become.
    public let replacement: Replacement

    /// - Throws: `LRPError` (`.parameter`) for a non-positive patch size, a negative step count or an empty
    ///   constant.
    public init(patchSize: Int, steps: Int, replacement: Replacement = .constant([0])) throws {
        guard patchSize > 0, steps >= 0, replacement != .constant([]) else {
            throw LRPError(.parameter, "perturbation: needs a positive patch size, steps ≥ 0 and a replacement, got \(patchSize), \(steps)")
        }
        (self.patchSize, self.steps, self.replacement) = (patchSize, steps, replacement)
    }

    /// The number of `patchSize × patchSize` patches of a `height × width` image (partial ones at the edges
    /// included).
    public static func patchCount(height: Int, width: Int, patchSize: Int) -> Int {
        let (rows, columns) = grid(height: height, width: width, patchSize: patchSize)
        return rows * columns
    }

    /// Rows and columns of patches.
    private static func grid(height: Int, width: Int, patchSize: Int) -> (rows: Int, columns: Int) {
        ((height + patchSize - 1) / patchSize, (width + patchSize - 1) / patchSize)
    }

    /// The target's score after 0, 1, …, `steps` replaced patches, per sample, each from ``Model/forward(_:)``.
    /// `startScores`, the targets' scores on the unperturbed input when the caller has them from the same
    /// `forward` (not from an explanation's recorded pass, whose logits differ in the last bits), saves the first
    /// forward pass.
    /// - Throws: `LRPError` for relevance of another shape than the input, more steps than patches, a
    ///   constant that does not match the channels, or model errors.
    public func curves(
        model: Model, input: Tensor, relevance: Tensor, targets: [Int], order: Order, startScores: [Float]? = nil
    ) throws -> [[Float]] {
        guard input.rank == 4, relevance.shape == input.shape, targets.count == input.batchSize,
              (startScores?.count ?? targets.count) == targets.count else {
            throw LRPError(.shape, "perturbation: relevance \(describe(relevance.shape)) and \(targets.count) targets do not match the input \(describe(input.shape))")
        }
        let (count, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let replaced = try replacementValues(for: input)
        let (rows, columns) = Self.grid(height: height, width: width, patchSize: patchSize)
        let patches = rows * columns
        guard steps <= patches else {
            throw LRPError(.parameter, "perturbation: \(steps) steps but only \(patches) patches of \(patchSize)×\(patchSize)")
        }
        let rankings = (0..<count).map { sample in ranking(relevance, sample: sample, rows: rows, columns: columns, order: order) }
        var perturbed = input
        var curves = startScores.map { $0.map { [$0] } } ?? [[Float]](repeating: [], count: count)
        for step in (startScores == nil ? 0 : 1) ... steps {
            if step > 0 {
                for sample in 0..<count {
                    replacePatch(rankings[sample][step - 1], sample: sample, in: &perturbed, from: replaced, columns: columns)
                }
            }
            let scores = try model.forward(perturbed)
            for sample in 0..<count { curves[sample].append(scores[sample * scores.elementsPerSample + targets[sample]]) }
        }
        return curves
    }

    /// The area over the perturbation curve: the mean over samples and steps `1…L` of `f(x⁰) − f(xᵏ)`,
    /// divided by `L + 1` (Samek et al. 2017).
    public static func aopc(_ curves: [[Float]]) -> Double {
        let perSample = curves.map { curve -> Double in
            guard let first = curve.first else { return 0 }
            return curve.dropFirst().reduce(0.0) { $0 + Double(first - $1) } / Double(curve.count)
        }
        return perSample.isEmpty ? 0 : perSample.reduce(0, +) / Double(perSample.count)
    }

    /// Patch indices in the order they are replaced.
    private func ranking(_ relevance: Tensor, sample: Int, rows: Int, columns: Int, order: Order) -> [Int] {
        let (channels, height, width) = (relevance.shape[1], relevance.shape[2], relevance.shape[3])
        var sums = [Double](repeating: 0, count: rows * columns)
        for channel in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    sums[(y / patchSize) * columns + x / patchSize] += Double(relevance[((sample * channels + channel) * height + y) * width + x])
                }
            }
        }
        switch order {
        case .mostRelevantFirst: return sums.indices.sorted { sums[$0] > sums[$1] || sums[$0] == sums[$1] && $0 < $1 }
        case .leastRelevantFirst: return sums.indices.sorted { sums[$0] < sums[$1] || sums[$0] == sums[$1] && $0 < $1 }
        case .random(let seed):
            var generator = SplitMix(seed: seed &+ UInt64(sample))
            var shuffled = Array(sums.indices)
            for index in stride(from: shuffled.count - 1, to: 0, by: -1) {
                shuffled.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
            return shuffled
        }
    }

    /// The value every input element takes when its patch is replaced: the constant or the blurred input.
    private func replacementValues(for input: Tensor) throws -> Tensor {
        let channels = input.shape[1]
        switch replacement {
        case .constant(let values):
            guard values.count == 1 || values.count == channels else {
                throw LRPError(.parameter, "perturbation: \(values.count) replacement values for \(channels) channels")
            }
            return input.mappedByChannel { _, channel in values.count == 1 ? values[0] : values[channel] }
        case .blur(let sigma):
            return try GaussianBlur(sigma: sigma).apply(to: input)
        }
    }

    private func replacePatch(_ patch: Int, sample: Int, in tensor: inout Tensor, from replaced: Tensor, columns: Int) {
        let (channels, height, width) = (tensor.shape[1], tensor.shape[2], tensor.shape[3])
        let (top, left) = ((patch / columns) * patchSize, (patch % columns) * patchSize)
        for channel in 0..<channels {
            for y in top ..< min(top + patchSize, height) {
                for x in left ..< min(left + patchSize, width) {
                    let index = ((sample * channels + channel) * height + y) * width + x
                    tensor[index] = replaced[index]
                }
            }
        }
    }
}
