import ArgumentParser
import LRP

/// `--rule` and `--composite`: the LRP method of `explain` and `spray`.
struct RuleOptions: ParsableArguments {
    @Option(help: "One LRP rule for every weighted layer.")
    var rule: String?

    @Option(help: "A composite: a preset or SELECTOR=RULE entries.")
    var composite: String?

    /// The composite asked for (a rule applies to every weighted layer); `nil` when neither option is given.
    /// - Throws: `ValidationError` when both are given or one does not parse, quoting it.
    func parsed() throws -> Composite? {
        guard rule == nil || composite == nil else { throw ValidationError("give only one of --rule or --composite") }
        do {
            if let rule { return try .uniform(try Rule(spec: rule)) }
            return try composite.map(Composite.init(spec:))
        } catch let error as LRPError {
            throw ValidationError(error.message)
        }
    }
}
