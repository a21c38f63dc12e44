import ArgumentParser
import LRP

/// `--method`, repeated: the methods `compare` and `evaluate` put side by side.
struct MethodOptions: ParsableArguments {
    @Option(name: .customLong("method"), help: "A rule, composite or gradient method (repeat for each).",
            transform: AttributionMethod.init(spec:))
    var methods: [AttributionMethod] = []

    func validate() throws {
        guard !methods.isEmpty else { throw ValidationError("give at least one --method") }
    }
}
