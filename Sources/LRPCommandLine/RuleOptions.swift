import ArgumentParser
import LRP

/// `--rule` and `--composite`: the LRP method of `explain` and `spray`.
struct RuleOptions: ParsableArguments {
    @Option(help: "One LRP rule for every weighted layer.", transform: Rule.init(spec:))
    var rule: Rule?

    @Option(help: "A composite: a preset or SELECTOR=RULE entries.", transform: Composite.init(spec:))
    var composite: Composite?

    /// The composite asked for (a rule applies to every weighted layer); `nil` when neither option is given.
    /// - Throws: `ValidationError` when both are given.
    func chosen() throws -> Composite? {
        guard rule == nil || composite == nil else { throw ValidationError("give only one of --rule or --composite") }
        return try rule.map(Composite.uniform) ?? composite
    }
}
