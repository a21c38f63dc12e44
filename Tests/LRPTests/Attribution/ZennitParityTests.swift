import Foundation
import Testing
@testable import LRP

/// Relevance equals Zennit 1.0's for every rule, preset, a range composite and the gradient baselines
/// (fixtures from scripts/make_lrp_fixtures.py).
///
/// The reference is Zennit's float64 result for the float32 weights. Per sample, the largest difference
/// relative to the largest reference value must be at most 1e-3, or twice the error of Zennit's own
/// float32 result where that is larger: some cases are ill-conditioned in float32 (LRP-0 through the demo
/// network divides by near-zero denominators, and Zennit's float32 result is up to 8e-3 from the exact one).
@Suite struct ZennitParityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let architecture: String
        let variant: String
        let spec: String
        /// Zennit's own float32 error per sample.
        let float32Errors: [Double]
        var testDescription: String { "\(architecture) \(spec)" }
    }

    static let architectures = ["vgg", "strided_bn", "resnet", "demo"]

    static let cases: [Case] = architectures.flatMap { architecture in
        let list = (try? String(contentsOf: Fixtures.url("lrp/\(architecture).variants.txt"), encoding: .utf8)) ?? ""
        return list.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t").map(String.init)
            return Case(architecture: architecture, variant: fields[0], spec: fields[1],
                        float32Errors: fields[2].split(separator: ",").compactMap { Double($0) })
        }
    }

    static func model(_ architecture: String) throws -> Model {
        try ONNXModel.load(architecture == "demo" ? Demo.model : Fixtures.url("lrp/\(architecture).onnx")).model
    }

    @Test func everyArchitectureHasItsVariants() {
        #expect(Self.cases.count == Self.architectures.count * 17)
    }

    @Test(arguments: cases)
    func relevanceEqualsZennit(_ parity: Case) throws {
        let explainer = try Explainer(model: Self.model(parity.architecture), method: AttributionMethod(spec: parity.spec))
        let input = try NPY.read(Fixtures.url("lrp/\(parity.architecture).input.npy"))
        let expected = try NPY.read(Fixtures.url("lrp/\(parity.architecture).\(parity.variant).npy"))
        let relevance = try explainer.explain(input).relevance
        #expect(relevance.shape == expected.shape)
        let perSample = expected.sampleCount
        for sample in 0..<expected.batchSize {
            let range = sample * perSample ..< (sample + 1) * perSample
            let scale = expected.scalars[range].map { abs(Double($0)) }.max() ?? 0
            let worst = range.map { abs(Double(relevance[$0]) - Double(expected[$0])) }.max() ?? 0
            let tolerance = max(1e-3, 2 * parity.float32Errors[sample])
            #expect(scale > 0, "Zennit's relevance of sample \(sample) is all zero")
            #expect(worst <= tolerance * scale, "sample \(sample): relative error \(worst / scale), tolerance \(tolerance)")
        }
    }
}
