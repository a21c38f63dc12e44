import ArgumentParser
import LRP

/// `--variant`, repeated: the methods `compare` and `evaluate` put side by side.
struct VariantOptions: ParsableArguments {
    @Option(help: "A rule, composite or baseline (repeat for each).")
    var variant: [String] = []

    func validate() throws {
        guard !variant.isEmpty else { throw ValidationError("give at least one --variant") }
        _ = try methods()
    }

    /// - Throws: `ValidationError` quoting a specification that does not parse.
    func methods() throws -> [AttributionMethod] {
        do { return try variant.map(AttributionMethod.init(spec:)) } catch let error as LRPError {
            throw ValidationError(error.message)
        }
    }
}
