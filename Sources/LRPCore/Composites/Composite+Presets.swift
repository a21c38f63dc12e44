/// Zennit's preset composites, over convolutions (C) and dense layers (D).
extension Composite {
    /// C z⁺, D ε (1e-6).
    public static let epsilonPlus = Composite(presetEntries:
        [(.kind(.convolution), .zPlus), (.kind(.dense), .epsilon(Rule.stabilizer))], name: "epsilon-plus")

    /// C α2β1, D ε (1e-6).
    public static let epsilonAlpha2Beta1 = Composite(presetEntries:
        [(.kind(.convolution), .alphaBeta(alpha: 2, beta: 1)), (.kind(.dense), .epsilon(Rule.stabilizer))],
        name: "epsilon-alpha2-beta1")

    /// ``epsilonPlus`` with the first weighted layer flat.
    public static let epsilonPlusFlat = Composite(presetEntries: epsilonPlus.entries + [(.first(nil), .flat)], name: "epsilon-plus-flat")

    /// ``epsilonAlpha2Beta1`` with the first weighted layer flat.
    public static let epsilonAlpha2Beta1Flat = Composite(presetEntries:
        epsilonAlpha2Beta1.entries + [(.first(nil), .flat)], name: "epsilon-alpha2-beta1-flat")

    /// C γ (0.25), D ε (1e-6), the first convolution z^B with input bounds `low`, `high`.
    /// - Throws: `LRPError` (`.parameter`) unless `low < high`.
    public static func epsilonGammaBox(low: Float, high: Float) throws -> Composite {
        try epsilonGammaBox(lowPerChannel: [low], highPerChannel: [high])
    }

    /// ``epsilonGammaBox(low:high:)`` with bounds per input channel.
    /// - Throws: `LRPError` (`.parameter`) unless there are as many lows as highs and each low is below its high.
    public static func epsilonGammaBox(lowPerChannel low: [Float], highPerChannel high: [Float]) throws -> Composite {
        let box = Rule.box(low: low, high: high)
        return try Composite([(.kind(.convolution), .gamma(0.25)), (.kind(.dense), .epsilon(Rule.stabilizer)), (.first(.convolution), box)],
                         name: "epsilon-gamma-box:" + box.description.dropFirst("box:".count))
    }

    /// The preset names `Composite(spec:)` accepts.
    public static let presetNames = ["epsilon-plus", "epsilon-plus-flat", "epsilon-alpha2-beta1", "epsilon-alpha2-beta1-flat", "epsilon-gamma-box:L,H"]
}
