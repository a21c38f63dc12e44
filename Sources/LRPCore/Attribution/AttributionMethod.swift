import Foundation

/// What to explain with: LRP with a composite of rules, or one of the gradient methods.
///
/// ```swift
/// let methods = try ["gamma:0.25", "epsilon-plus", "1-4=gamma:0.25;5-=zero", "gradient", "smoothgrad"].map(AttributionMethod.init(spec:))
/// ```
public enum AttributionMethod: Sendable, Hashable, CustomStringConvertible {
    case lrp(Composite)
    /// ∂ score / ∂ input.
    case gradient
    /// Gradient ⊙ input.
    case gradientTimesInput
    /// The mean gradient over noisy copies of the input (noise std = `noiseLevel` · (max − min) of each
    /// sample; the last copy is noise-free, as Zennit).
    case smoothGrad(noiseLevel: Float, samples: Int, seed: UInt64)
    /// Integrated gradients from a zero baseline: `x ⊙ mean_α ∇f(α·x)`, α = 1/steps … 1.
    case integratedGradients(steps: Int)

    /// Parses a rule (applied to every weighted layer), a composite, or a gradient method: `gradient`,
    /// `gradient-x-input`, `smoothgrad[:NOISE,SAMPLES]`, `integrated-gradients[:STEPS]`.
    /// - Throws: `LRPError` (`.parameter`) quoting the specification.
    /// The composite of an LRP method; `nil` for the gradient methods.
    public var composite: Composite? {
        if case .lrp(let composite) = self { return composite }
        return nil
    }

    public init(spec: String) throws {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        let (name, argument) = trimmed.splitOnce(":")
        switch name {
        case "gradient":
            self = .gradient
        case "gradient-x-input", "gradient*input", "gxi":
            self = .gradientTimesInput
        case "smoothgrad":
            let values = try AttributionMethod.numbers(argument, spec: trimmed, defaults: [0.1, 20])
            guard values[0] > 0, values[0].isFinite, (1 ... 1e6).contains(values[1]), values[1] == values[1].rounded() else {
                throw LRPError(.parameter, "'\(trimmed)': needs a positive noise level and a whole number of samples from 1 to 10⁶")
            }
            self = .smoothGrad(noiseLevel: values[0], samples: Int(values[1]), seed: 0)
        case "integrated-gradients", "ig":
            let values = try AttributionMethod.numbers(argument, spec: trimmed, defaults: [20])
            guard (1 ... 1e6).contains(values[0]), values[0] == values[0].rounded() else {
                throw LRPError(.parameter, "'\(trimmed)': needs a whole number of steps from 1 to 10⁶")
            }
            self = .integratedGradients(steps: Int(values[0]))
        default:
            if trimmed.contains("=") || Composite.presetNames.contains(where: { $0.splitOnce(":").0 == name }) {
                self = .lrp(try Composite(spec: trimmed))
            } else {
                self = .lrp(try .uniform(try Rule(spec: trimmed)))
            }
        }
    }

    public var description: String {
        switch self {
        case .lrp(let composite): composite.name
        case .gradient: "gradient"
        case .gradientTimesInput: "gradient-x-input"
        case .smoothGrad(let noise, let samples, _): "smoothgrad:\(noise),\(samples)"
        case .integratedGradients(let steps): "integrated-gradients:\(steps)"
        }
    }

    private static func numbers(_ argument: String?, spec: String, defaults: [Float]) throws -> [Float] {
        guard let argument else { return defaults }
        guard case .success(let values) = argument.numbers(), values.count == defaults.count else {
            throw LRPError(.parameter, "'\(spec)': expects \(defaults.count) number(s) after ':'")
        }
        return values
    }
}
