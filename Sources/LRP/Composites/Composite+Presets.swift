/// Zennit's preset composites, over convolutions (C) and dense layers (D).
extension Composite {
    /// C z⁺, D ε (1e-6).
    public static let epsilonPlus = Composite(
        [(.kind(.convolution), .zPlus), (.kind(.dense), .epsilon(Rule.stabilizer))], name: "epsilon-plus")

    /// C α2β1, D ε (1e-6).
    public static let epsilonAlpha2Beta1 = Composite(
        [(.kind(.convolution), .alphaBeta(alpha: 2, beta: 1)), (.kind(.dense), .epsilon(Rule.stabilizer))],
        name: "epsilon-alpha2-beta1")

    /// ``epsilonPlus`` with the first weighted layer flat.
    public static let epsilonPlusFlat = Composite(epsilonPlus.entries + [(.first(nil), .flat)], name: "epsilon-plus-flat")

    /// ``epsilonAlpha2Beta1`` with the first weighted layer flat.
    public static let epsilonAlpha2Beta1Flat = Composite(
        epsilonAlpha2Beta1.entries + [(.first(nil), .flat)], name: "epsilon-alpha2-beta1-flat")

    /// C γ (0.25), D ε (1e-6), the first convolution z^B with input bounds `low`, `high`.
    public static func epsilonGammaBox(low: Float, high: Float) -> Composite {
        epsilonGammaBox(lowPerChannel: [low], highPerChannel: [high])
    }

    /// ``epsilonGammaBox(low:high:)`` with bounds per input channel.
    public static func epsilonGammaBox(lowPerChannel low: [Float], highPerChannel high: [Float]) -> Composite {
        let box = Rule.box(low: low, high: high)
        return Composite([(.kind(.convolution), .gamma(0.25)), (.kind(.dense), .epsilon(Rule.stabilizer)), (.first(.convolution), box)],
                         name: "epsilon-gamma-box:" + box.description.dropFirst("box:".count))
    }

    /// The preset names `Composite(spec:)` accepts.
    public static let presetNames = ["epsilon-plus", "epsilon-plus-flat", "epsilon-alpha2-beta1", "epsilon-alpha2-beta1-flat", "epsilon-gamma-box:L,H"]
}
