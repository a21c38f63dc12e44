import CMallocTuning
import Foundation
import LRP

/// `make bench`: throughput of forward passes, gradients and LRP on CIFAR-sized batches, with the
/// machine's sgemm rate measured in the same run as the yardstick.
///
/// Options: `--models demo,vgg11,resnet18` `--method M` (repeatable: forward, gradient, a rule, a composite,
/// `slides`) `--batches 1,16,64,256` `--seconds S` (per round) `--onnx NAME=PATH` (another model) `--tsv`
/// (machine-readable lines only).
///
/// "peak MiB" is the process's peak resident memory since the row began; freed memory stays in the heap for
/// reuse, so it is the row's own peak only for the first row of a process: measure memory with one model,
/// method and batch per run.
@main
struct LRPBenchmarks {
    static let allMethods = ["forward", "gradient", "zero", "epsilon:0.25", "gamma:0.25", "alphabeta:2,1", "epsilon-plus",
                             "epsilon-plus-flat", "epsilon-alpha2-beta1", "epsilon-alpha2-beta1-flat", "epsilon-gamma-box:0,1", "slides"]

    static func main() {
        OpenBLASKernel.relaunchWithProperKernelIfNeeded()
        // as `lrp` does: keep freed buffers in the heap instead of fresh, zeroed mmaps for every layer
        lrp_reuse_freed_memory()
        do {
            try run(Arguments(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("LRPBenchmarks: error: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ arguments: Arguments) throws {
        let models = arguments.list("--models") ?? ["demo", "vgg11", "resnet18"]
        let methods = arguments.values("--method").isEmpty ? allMethods : arguments.values("--method")
        let batches = (arguments.list("--batches") ?? ["1", "16", "64", "256"]).compactMap(Int.init)
        let seconds = Double(arguments.value("--seconds") ?? "") ?? 0.5
        let tsv = arguments.flag("--tsv")
        let extra = (arguments.list("--onnx") ?? []).map { $0.splitOnce("=") }

        let sgemm = GEMMBenchmark.rate(m: 1024, n: 1024, k: 1024)
        if !tsv {
            print("SwiftLRP benchmarks — \(Date())")
            print("CPU: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
            print("OpenBLAS core: \(BLASInfo.coreName)" + (ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { " (OPENBLAS_CORETYPE=\($0))" } ?? " (OPENBLAS_CORETYPE not set)")
                  + "; engine: \(BLASInfo.workerCount) workers × 1 OpenBLAS thread")
            print(String(format: "sgemm 1024³ yardstick (OpenBLAS on %d threads): %.1f GFLOP/s", BLASInfo.workerCount, sgemm))
            print()
            try ConvolutionBenchmark().report(sgemm: sgemm, seconds: seconds)
        } else {
            print("sgemm\t\(sgemm)\t\(BLASInfo.coreName)")
        }
        let widths = [10, 26, 6, 10, 9, 9, 10]
        if !tsv { printRow(["model", "method", "batch", "images/s", "GFLOP/s", "of sgemm", "peak MiB"], widths: widths) }
        for name in models + extra.map(\.0) {
            let model: Model
            switch name {
            case "demo": model = try BenchmarkModels.demo()
            case "vgg11": model = try BenchmarkModels.vgg11()
            case "resnet18": model = try BenchmarkModels.resnet18()
            default:
                guard let path = extra.first(where: { $0.0 == name })?.1 else { throw LRPError(.parameter, "unknown model '\(name)'") }
                model = try ONNXModel.load(URL(fileURLWithPath: path)).model
            }
            let summary = ModelSummary(model)
            let activations = model.valueShapes.reduce(0) { $0 + $1.reduce(1, *) } * 4
            if !tsv {
                print(String(format: "%@: %.3f GFLOP per image forward; activations %.2f MiB per image; weights %.1f MiB", name,
                             Double(summary.totalFLOPs) / 1e9, Double(activations) / 1_048_576, Double(summary.totalParameters * 4) / 1_048_576))
            }
            for method in methods {
                let work = try MethodBenchmark(model: model, method: method)
                for batch in batches {
                    let input = try Tensor(shape: [batch] + model.sampleShape,
                                           scalars: (0 ..< batch * model.sampleShape.reduce(1, *)).map { Float(($0 * 7919) % 1000) / 1000 })
                    ResidentMemory.resetPeak()
                    let measurement = try Measurement(minimumSeconds: seconds, rounds: 2) { try work.run(input) }
                    let imagesPerSecond = Double(batch) / measurement.secondsPerCall
                    let gflops = imagesPerSecond * work.flopsPerImage / 1e9
                    let peak = ResidentMemory.peakMiB() ?? 0
                    if tsv {
                        print([name, method, String(batch), String(imagesPerSecond), String(gflops), String(peak)].joined(separator: "\t"))
                    } else {
                        printRow([name, method, String(batch), String(format: "%.1f", imagesPerSecond), String(format: "%.1f", gflops),
                                  String(format: "%.0f%%", 100 * gflops / sgemm), String(format: "%.0f", peak)], widths: widths)
                    }
                }
            }
        }
    }
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
    /// one transposed; γ one forward (`W⁺x`) and a double-width transposed; αβ two forwards and two
    /// transposed; box two forwards (the bounds) and three transposed.
    static func passes(of rule: Rule) -> Double {
        switch rule {
        case .zero, .epsilon: 1
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

/// Minimal `--name value` parsing for the benchmark.
struct Arguments {
    let words: [String]
    init(_ words: ArraySlice<String>) { self.words = Array(words) }
    func value(_ name: String) -> String? { words.firstIndex(of: name).flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } }
    func list(_ name: String) -> [String]? { value(name)?.split(separator: ",").map(String.init) }
    func values(_ name: String) -> [String] { words.indices.filter { words[$0] == name && $0 + 1 < words.count }.map { words[$0 + 1] } }
    func flag(_ name: String) -> Bool { words.contains(name) }
}

extension String {
    func splitOnce(_ separator: Character) -> (String, String) {
        guard let index = firstIndex(of: separator) else { return (self, "") }
        return (String(self[..<index]), String(self[self.index(after: index)...]))
    }
}
