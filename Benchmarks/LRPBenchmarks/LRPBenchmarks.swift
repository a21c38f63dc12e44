import CMallocTuning
import Foundation
import LRP

/// `make bench`: throughput of forward passes, gradients and LRP on CIFAR-sized batches, with the
/// machine's sgemm rate measured in the same run as the yardstick.
///
/// Options: `--models demo,vgg11,resnet18` `--method M` (repeatable: forward, gradient, a rule, a composite,
/// `slides`) `--batches 1,16,64,256` `--seconds S` (per round) `--onnx NAME=PATH` (another model) `--tsv`
/// (machine-readable lines only).
@main
struct LRPBenchmarks {
    static let allMethods = ["forward", "gradient", "zero", "epsilon:0.25", "gamma:0.25", "alphabeta:2,1", "epsilon-plus",
                             "epsilon-plus-flat", "epsilon-alpha2-beta1", "epsilon-alpha2-beta1-flat", "epsilon-gamma-box:0,1", "slides"]

    static func main() {
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
            let forwardFLOPs = Double(ModelSummary(model).totalFLOPs)
            for method in methods {
                let work = try MethodBenchmark(model: model, method: method)
                for batch in batches {
                    let input = try Tensor(shape: [batch] + model.sampleShape,
                                           scalars: (0 ..< batch * model.sampleShape.reduce(1, *)).map { Float(($0 * 7919) % 1000) / 1000 })
                    ResidentMemory.resetPeak()
                    let measurement = try Measurement(minimumSeconds: seconds, rounds: 2) { try work.run(input) }
                    let imagesPerSecond = Double(batch) / measurement.secondsPerCall
                    let gflops = imagesPerSecond * forwardFLOPs * work.forwardEquivalents / 1e9
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

/// One method on one model: what to run and how many forward passes' worth of FLOPs it does.
struct MethodBenchmark {
    let run: (Tensor) throws -> Void
    /// FLOPs of the method in units of the forward pass, for the GFLOP/s figure: 1 for the forward pass,
    /// 2 for a gradient or ε/LRP-0 (forward + one transposed product per layer), more for rules with
    /// several terms.
    let forwardEquivalents: Double

    init(model: Model, method: String) throws {
        switch method {
        case "forward":
            run = { _ = try model.forward($0) }
            forwardEquivalents = 1
        case "gradient":
            let explainer = try Explainer(model: model, method: .gradient)
            run = { _ = try explainer.explain($0) }
            forwardEquivalents = 2
        default:
            let spec = method == "slides" ? Self.slides(for: model) : method
            let explainer = try Explainer(model: model, method: AttributionMethod(spec: spec))
            run = { _ = try explainer.explain($0) }
            forwardEquivalents = 2
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
