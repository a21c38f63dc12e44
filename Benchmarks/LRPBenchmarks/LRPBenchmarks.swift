import ArgumentParser
import Foundation
import LRP

/// `make bench`: throughput of forward passes, gradients and LRP on CIFAR-sized batches, with the
/// machine's sgemm rate measured in the same run as the yardstick, and where the time of each weighted layer
/// goes.
///
/// "peak MiB" is the process's peak resident memory since the row began; freed memory stays in the heap for
/// reuse, so it is the row's own peak only for the first row of a process: measure memory with one model,
/// method and batch per run.
@main
struct LRPBenchmarks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "LRPBenchmarks",
        abstract: "Throughput of forward passes, gradients and LRP on CIFAR-sized batches against the machine's sgemm rate.")

    static let allMethods = ["forward", "gradient", "zero", "epsilon:0.25", "gamma:0.25", "alphabeta:2,1", "epsilon-plus",
                             "epsilon-plus-flat", "epsilon-alpha2-beta1", "epsilon-alpha2-beta1-flat", "epsilon-gamma-box:0,1", "slides"]

    @Option(help: "Built-in models, comma-separated: demo, vgg11, resnet18.", transform: commaSeparated)
    var models: [String] = ["demo", "vgg11", "resnet18"]

    @Option(name: .customLong("method"), help: "A method (repeatable): forward, gradient, a rule, a composite, or slides. Default: all.")
    var methods: [String] = []

    @Option(help: "Batch sizes, comma-separated.", transform: { try commaSeparated($0).map(positiveInteger) })
    var batches: [Int] = [1, 16, 64, 256]

    @Option(help: "Minimum seconds per timing round.")
    var seconds: Double = 0.5

    @Option(name: .customLong("onnx"), help: "Another model as NAME=PATH (repeatable).", transform: namedPath)
    var onnxModels: [NamedPath] = []

    @Option(help: "Convolution algorithms to compare, comma-separated: automatic, im2col, winograd2, winograd4 (every convolution that supports it).",
            transform: { try commaSeparated($0).map(convolutionAlgorithm) })
    var convolution: [ConvolutionAlgorithm] = [.automatic]

    @Flag(help: "Skip the per-layer profile of the weighted layers.")
    var noLayers = false

    @Flag(help: "Report CPU time shared out over the workers instead of wall time: steadier on a busy machine, blind to idle waits.")
    var cpuTime = false

    @Flag(help: "Machine-readable lines only.")
    var tsv = false

    mutating func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be positive, got \(seconds)") }
    }

    mutating func run() throws {
        // as `lrp` does: keep freed buffers in the heap instead of fresh, zeroed mmaps for every layer
        Allocator.keepFreedMemoryForReuse()
        Measurement.usesCPUTime = cpuTime
        let sgemm = GEMMBenchmark.rate(m: 1024, n: 1024, k: 1024)
        if !tsv {
            print("SwiftLRP benchmarks — \(Date())")
            print("CPU: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
            print("OpenBLAS core: \(OpenBLASKernel.description); engine: \(BLASInfo.workerCount) workers × 1 OpenBLAS thread")
            print(String(format: "sgemm 1024³ yardstick (OpenBLAS on %d threads): %.1f GFLOP/s", BLASInfo.workerCount, sgemm)
                  + (cpuTime ? "; figures from CPU time per worker" : "; figures from wall time"))
            print()
            SectionBenchmark().report()
            try ConvolutionBenchmark().report(sgemm: sgemm, seconds: seconds)
        } else {
            print("sgemm\t\(sgemm)\t\(BLASInfo.coreName)")
        }
        let widths = [10, 34, 6, 10, 9, 9, 10]
        for name in models + onnxModels.map(\.name) {
            let model: Model
            switch name {
            case "demo": model = try BenchmarkModels.demo()
            case "vgg11": model = try BenchmarkModels.vgg11()
            case "resnet18": model = try BenchmarkModels.resnet18()
            default:
                guard let path = onnxModels.first(where: { $0.name == name })?.path else {
                    throw ValidationError("unknown model '\(name)' (built in: demo, vgg11, resnet18; others through --onnx NAME=PATH)")
                }
                model = try ONNXModel.load(URL(fileURLWithPath: path)).model
            }
            let summary = ModelSummary(model)
            let activations = model.valueShapes.reduce(0) { $0 + $1.reduce(1, *) } * 4
            if !tsv {
                print(String(format: "%@: %.3f GFLOP per image forward; activations %.2f MiB per image; weights %.1f MiB", name,
                             Double(summary.totalFLOPs) / 1e9, Double(activations) / 1_048_576, Double(summary.totalParameters * 4) / 1_048_576))
                if !noLayers, let batch = batches.max() {
                    try LayerProfile(model: model, batch: min(batch, 64)).report(sgemm: sgemm, seconds: seconds / 4)
                }
                printRow(["model", "method", "batch", "images/s", "GFLOP/s", "of sgemm", "peak MiB"], widths: widths)
            }
            for method in methods.isEmpty ? Self.allMethods : methods {
                // the algorithms interleaved per batch, so that they see the same machine
                let works = try convolution.map { (algorithm: $0, work: try MethodBenchmark(model: model.using($0), method: method)) }
                for batch in batches { for (algorithm, work) in works {
                    let input = try Tensor(shape: [batch] + model.sampleShape,
                                           scalars: (0 ..< batch * model.sampleShape.reduce(1, *)).map { Float(($0 * 7919) % 1000) / 1000 })
                    ResidentMemory.resetPeak()
                    let measurement = try Measurement(minimumSeconds: seconds, rounds: 2) { try work.run(input) }
                    let imagesPerSecond = Double(batch) / measurement.seconds
                    let gflops = imagesPerSecond * work.flopsPerImage / 1e9
                    let peak = ResidentMemory.peakMiB() ?? 0
                    let label = convolution.count > 1 ? "\(method) [\(algorithm.shortName)]" : method
                    if tsv {
                        print([name, label, String(batch), String(imagesPerSecond), String(gflops), String(peak)].joined(separator: "\t"))
                    } else {
                        printRow([name, label, String(batch), String(format: "%.1f", imagesPerSecond), String(format: "%.1f", gflops),
                                  String(format: "%.0f%%", 100 * gflops / sgemm), String(format: "%.0f", peak)], widths: widths)
                    }
                } }
            }
            if !tsv { print() }
        }
    }
}

/// A model file named on the command line: `NAME=PATH`.
struct NamedPath {
    let name: String
    let path: String
}

func namedPath(_ text: String) throws -> NamedPath {
    guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
        throw ValidationError("expected NAME=PATH, got '\(text)'")
    }
    return NamedPath(name: String(text[..<equals]), path: String(text[text.index(after: equals)...]))
}

func commaSeparated(_ text: String) throws -> [String] {
    if text.isEmpty { return [] }
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard !items.contains(where: \.isEmpty) else { throw ValidationError("empty entry in '\(text)'") }
    return items
}

func convolutionAlgorithm(_ text: String) throws -> ConvolutionAlgorithm {
    guard let algorithm = ConvolutionAlgorithm(rawValue: text) else {
        throw ValidationError("unknown convolution algorithm '\(text)' (automatic, im2col, winograd2, winograd4)")
    }
    return algorithm
}

extension Model {
    /// The same model with every convolution computed by `algorithm` (where it applies).
    func using(_ algorithm: ConvolutionAlgorithm) throws -> Model {
        try Model(inputName: inputName, sampleShape: sampleShape, nodes: nodes.map { node in
            guard var conv = node.layer as? Convolution2D else { return node }
            conv.algorithm = algorithm
            return Model.Node(name: node.name, layer: conv, inputs: node.inputs, output: node.output)
        }, outputName: outputName)
    }
}

func positiveInteger(_ text: String) throws -> Int {
    guard let value = Int(text), value > 0 else { throw ValidationError("'\(text)' is not a positive integer") }
    return value
}

/// One method on one model: what to run and the FLOPs it does per image.
struct MethodBenchmark {
    let run: (Tensor) throws -> Void
    /// FLOPs per image as implemented: the recorded forward pass, plus for each weighted layer its forward
    /// FLOPs times the products its rule computes (see `passes(of:)`); gradients count one transposed
    /// product per layer. Layers without weights count their forward FLOPs twice.
    let flopsPerImage: Double

    init(model: Model, method: String) throws {
        let canonical = try model.mergingBatchNormalization()
        let summary = ModelSummary(canonical)
        let forward = Double(summary.totalFLOPs)
        switch method {
        case "forward":
            run = { _ = try model.forward($0) }
            flopsPerImage = forward
        case "gradient":
            let explainer = try Explainer(model: model, method: .gradient)
            run = { _ = try explainer.explain($0) }
            flopsPerImage = 2 * forward
        default:
            let spec = method == "slides" ? Self.slides(for: model) : method
            let attribution = try AttributionMethod(spec: spec)
            let explainer = try Explainer(model: model, method: attribution)
            run = { _ = try explainer.explain($0) }
            guard case .lrp(let composite) = attribution else {
                flopsPerImage = 2 * forward
                break
            }
            let rules = try composite.rules(for: canonical)
            flopsPerImage = zip(canonical.nodes.indices, summary.rows).reduce(forward) { total, entry in
                total + Double(entry.1.flops) * (rules[entry.0].map(Self.passes(of:)) ?? 1)
            }
        }
    }

    /// Products per weighted layer beyond the recorded forward pass, as the engine computes them on
    /// non-negative input (after a ReLU): ε and LRP-0 one transposed product; z⁺, flat and w² one forward and
    /// one transposed; γ one forward (`W⁺x`) and two transposed (`W` and `W⁺`); αβ two forwards and two
    /// transposed; box two forwards (the bounds) and three transposed. A custom rule counts as ε.
    static func passes(of rule: Rule) -> Double {
        switch rule {
        case .zero, .epsilon, .custom: 1
        case .zPlus, .flat, .wSquare: 2
        case .gamma: 3
        case .alphaBeta: 4
        case .box: 5
        }
    }

    /// The slides' composition scaled to the model: γ on the first 40% of the weighted layers, ε on the next
    /// 40%, LRP-0 on the rest.
    static func slides(for model: Model) -> String {
        let count = ModelSummary(model).rows.compactMap(\.weightedLayerNumber).count
        let (a, b) = (max(1, count * 4 / 10), max(2, count * 8 / 10))
        return "1-\(a)=gamma:0.25;\(a + 1)-\(b)=epsilon:0.25;\(b + 1)-=zero"
    }
}
