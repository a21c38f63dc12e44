import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct RegionPerturbationTests {
    /// Curves scored by onnxruntime on patches replaced in numpy (scripts/make_evaluation_fixtures.py).
    @Test func curvesEqualAnIndependentImplementation() throws {
        let model = try ONNXModel.load(CornerTag.model).model
        let images = try NPY.read(CornerTag.images).batch(0 ..< 4)
        let relevance = try NPY.read(Fixtures.url("evaluation/perturbation.relevance.npy"))
        let targets = try NPY.read(Fixtures.url("evaluation/perturbation.targets.npy")).scalars.map { Int($0) }
        for (name, replacement) in [("constant", RegionPerturbation.Replacement.constant([0])), ("blur", .blur(sigma: 1.5))] {
            let expected = try NPY.read(Fixtures.url("evaluation/perturbation.curves.\(name).npy"))
            let curves = try RegionPerturbation(patchSize: 4, steps: 12, replacement: replacement)
                .curves(model: model, input: images, relevance: relevance, targets: targets, order: .mostRelevantFirst)
            expectClose(curves.flatMap { $0 }, expected.scalars.map(Double.init), tolerance: 1e-4)
            // scores of the unperturbed input handed in are used as the curves' start, the rest is the same
            let handed = try RegionPerturbation(patchSize: 4, steps: 12, replacement: replacement)
                .curves(model: model, input: images, relevance: relevance, targets: targets, order: .mostRelevantFirst,
                        startScores: [1, 2, 3, 4])
            #expect(handed.map(\.first) == [1, 2, 3, 4] && handed.map { Array($0.dropFirst()) } == curves.map { Array($0.dropFirst()) })
        }
    }

    /// A linear model `f(x) = w·x`: gradient × input is each pixel's exact contribution, so removing the most
    /// relevant patches first must lower the score fastest.
    @Test func aFaithfulExplanationBeatsRandomOrderWhichBeatsTheReverse() throws {
        var generator = SeededGenerator(seed: 21)
        let model = try Model(sampleShape: [1, 8, 8], layers: [
            ("flatten", Flatten()), ("score", try Dense(weight: .random([1, 64], using: &generator), bias: nil)),
        ])
        let input = Tensor.random([3, 1, 8, 8], in: 0...1, using: &generator)
        let explanation = try Explainer(model: model, method: .gradientTimesInput).explain(input)
        let perturbation = try RegionPerturbation(patchSize: 2, steps: 16)
        func aopc(_ order: RegionPerturbation.Order) throws -> Double {
            RegionPerturbation.aopc(try perturbation.curves(model: model, input: input, relevance: explanation.relevance,
                                                           targets: explanation.targets, order: order))
        }
        let (best, random, worst) = (try aopc(.mostRelevantFirst), try aopc(.random(seed: 1)), try aopc(.leastRelevantFirst))
        #expect(best > random && random > worst, "AOPC: most relevant first \(best), random \(random), least relevant first \(worst)")
        // hand check of the curve: removing every patch leaves w·0 = 0
        let full = try RegionPerturbation(patchSize: 2, steps: 16).curves(model: model, input: input, relevance: explanation.relevance,
                                                                          targets: [0, 0, 0], order: .mostRelevantFirst)
        #expect(full.allSatisfy { abs($0.last!) < 1e-6 && $0.count == 17 })
    }

    @Test func replacementSpecifications() throws {
        #expect(try RegionPerturbation.Replacement(spec: "value:0") == .constant([0]))
        #expect(try RegionPerturbation.Replacement(spec: "0.5") == .constant([0.5]))
        #expect(try RegionPerturbation.Replacement(spec: "value:1, 2,3") == .constant([1, 2, 3]))
        #expect(try RegionPerturbation.Replacement(spec: "blur:2") == .blur(sigma: 2))
        #expect(try RegionPerturbation.Replacement(spec: "blur:1.5").description == "blur:1.5")
        for bad in ["blur:-1", "blur:1,2", "value:", "value:x", "nan", "value:1,,2"] {
            expectLRPError("'\(bad)'") { _ = try RegionPerturbation.Replacement(spec: bad) }
        }
    }

    @Test func aopcOfAHandMadeCurveAndBadInput() throws {
        // f = 4, 2, 1: ((4−2) + (4−1)) / 3
        #expect(abs(RegionPerturbation.aopc([[4, 2, 1]]) - 5.0 / 3) < 1e-12)
        expectLRPError("patch size") { _ = try RegionPerturbation(patchSize: 0, steps: 1) }
        let model = try Model(sampleShape: [1, 2, 2], layers: [("flatten", Flatten())])
        let input = try Tensor(shape: [1, 1, 2, 2])
        expectLRPError("only 1 patches") {
            _ = try RegionPerturbation(patchSize: 2, steps: 2).curves(model: model, input: input, relevance: input, targets: [0], order: .mostRelevantFirst)
        }
        expectLRPError("do not match") {
            _ = try RegionPerturbation(patchSize: 1, steps: 1).curves(model: model, input: input, relevance: Tensor(shape: [1, 1, 2, 1]), targets: [0], order: .mostRelevantFirst)
        }
    }
}
