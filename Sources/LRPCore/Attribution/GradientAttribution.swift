import Foundation

/// The gradient methods, computed with the model's input gradient from a one-hot start.
struct GradientAttribution {
    let model: Model
    let method: AttributionMethod

    /// - Parameter firstSample: the index of `input`'s first sample in the whole batch: SmoothGrad draws each
    ///   sample's noise from a stream of its own, so that a batch gives the same result whole or in chunks.
    func explain(_ input: Tensor, firstSample: Int, target: Target) throws -> Explanation {
        let trace = try model.forwardRecording(input)
        let targets = try target.classes(for: trace.output)
        let seed = InitialRelevance.oneHot.seed(logits: trace.output, targets: targets)
        /// The gradient at another point than the input, which needs its own forward pass.
        func gradient(at point: Tensor) throws -> Tensor {
            try model.inputGradient(model.forwardRecording(point), outputGradient: seed)
        }
        let atInput = { try model.inputGradient(trace, outputGradient: seed) }
        let relevance: Tensor
        switch method {
        case .gradient:
            relevance = try atInput()
        case .gradientTimesInput:
            relevance = try atInput().multiplied(sameShape: input)
        case .smoothGrad(let noiseLevel, let samples, let seed):
            relevance = try smoothGrad(input, firstSample: firstSample, noiseLevel: noiseLevel, samples: samples, seed: seed,
                                       atInput: atInput, gradient: gradient)
        case .integratedGradients(let steps):
            var total = Tensor(zerosWithValidShape: input.shape)
            for step in 1...steps {
                let alpha = Float(step) / Float(steps)
                total = try total.adding(try step == steps ? atInput() : gradient(at: input.mapped { $0 * alpha }))
            }
            relevance = total.combined(with: input) { g, x in g / Float(steps) * x }
        case .lrp:
            throw LRPError(.parameter, "LRP is not a gradient method")
        }
        return Explanation(relevance: relevance, logits: trace.output, targets: targets, layerSums: [], layerRelevance: [:])
    }

    private func smoothGrad(
        _ input: Tensor, firstSample: Int, noiseLevel: Float, samples: Int, seed: UInt64,
        atInput: () throws -> Tensor, gradient: (Tensor) throws -> Tensor
    ) throws -> Tensor {
        // one noise stream per sample of the whole batch
        var generators = (0..<input.batchSize).map { NormalGenerator(seed: seed &+ UInt64(firstSample + $0) &* 0x9E37_79B9_7F4A_7C15) }
        let perSample = input.elementsPerSample
        let deviations = (0..<input.batchSize).map { sample in
            let values = input.scalars[sample * perSample ..< (sample + 1) * perSample]
            return noiseLevel * ((values.max() ?? 0) - (values.min() ?? 0))
        }
        var total = Tensor(zerosWithValidShape: input.shape)
        for round in 0..<samples {
            guard round < samples - 1 else {   // the last round is noise-free, as Zennit
                total = try total.adding(try atInput())
                break
            }
            var noisy = input
            noisy.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] += deviations[index / perSample] * generators[index / perSample].next() }
            }
            total = try total.adding(try gradient(noisy))
        }
        return total.mapped { $0 / Float(samples) }
    }
}

/// Standard normal samples (Box–Muller over SplitMix64), reproducible for a seed.
package struct NormalGenerator {
    private var uniform: SplitMix
    private var spare: Float?

    package init(seed: UInt64) { uniform = SplitMix(seed: seed) }

    package mutating func next() -> Float {
        if let spare { self.spare = nil; return spare }
        // shifted half a step so that log(u) stays finite
        let (u, v) = (uniform.unit() + 0.5 / Double(1 << 53), uniform.unit())
        let radius = (-2 * log(u)).squareRoot()
        spare = Float(radius * sin(2 * .pi * v))
        return Float(radius * cos(2 * .pi * v))
    }
}
