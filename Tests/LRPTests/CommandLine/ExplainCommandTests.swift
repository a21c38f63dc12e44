import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ExplainCommandTests {
    @Test func writesTheLibrarysRelevanceWhateverTheBatchSize() throws {
        let folder = try TemporaryFolder()
        let spec = "1-4=gamma:0.25;5-8=epsilon:0.25;9=zero"
        let expected = try Explainer(model: ONNXModel.load(Demo.model).model, composite: Composite(spec: spec))
            .explain(InputDataset.load([Demo.photos]).images).relevance
        for batchSize in ["1", "3", "64"] {
            let output = folder.file("relevance\(batchSize).npy")
            let result = try LRPExecutable.run(["explain", "--model", Demo.model.path, "--input", Demo.photos.path,
                                                "--composite", spec, "--output", output.path, "--batch-size", batchSize])
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("cat.png") && result.output.contains("relevance written"))
            let relevance = try NPY.read(output)
            #expect(relevance.shape == [4, 3, 32, 32])
            expectClose(relevance.scalars, expected.scalars.map(Double.init), tolerance: 1e-5)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
                == ["relevance1.npy", "relevance3.npy", "relevance64.npy"])   // no temporary files left
    }

    @Test func labelsFromACIFARBatchAreTargets() throws {
        let folder = try TemporaryFolder()
        let images = try InputDataset.load([Demo.photos]).images
        let cifar = try folder.write(CIFAR10.encode(images: images, labels: [0, 3, 5, 9]), to: "batch.bin")
        let result = try LRPExecutable.run(["explain", "--model", Demo.model.path, "--input", cifar.path, "--rule", "epsilon:0.1",
                                            "--target", "labels", "--output", folder.file("r.npy").path])
        #expect(result.status == 0, "\(result.error)")
        let targets = result.output.split(separator: "\n").filter { $0.hasPrefix("batch.bin") }.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
        #expect(targets == ["airplane", "cat", "dog", "truck"])
    }

    @Test func badSpecificationsAreUsageErrorsThatQuoteThePartAndWriteNothing() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("out.npy")
        let cases: [([String], [String])] = [
            (["--rule", "frobnicate"], ["'frobnicate'"]),
            (["--rule", "gamma:abc"], ["'abc'"]),
            (["--rule", "alphabeta:3,1"], ["α − β = 1"]),
            (["--rule", "epsilon:-0.1"], ["ε must not be negative"]),
            (["--rule", "gamma:-1"], ["γ must not be negative"]),
            (["--composite", "1-12=zero"], ["outside 1…9"]),
            (["--composite", "1-4=zero;4-9=gamma:0.25"], ["layer 4"]),
            (["--composite", "1-4=gamma:0.25"], ["weighted layer 5", "no entry"]),
            (["--rule", "zero", "--target", "10"], ["target 10"]),
            (["--rule", "zero", "--composite", "epsilon-plus"], ["exactly one"]),
            (["--method", "epsilon-plus"], ["--method"]),
            (["--rule", "zero", "--start", "middle"], ["--start"]),
            (["--rule", "zero", "--target", "labels"], ["--labels"]),
            (["--rule", "zero", "--batch-size", "0"], ["--batch-size"]),
        ]
        for (arguments, fragments) in cases {
            let result = try LRPExecutable.run(["explain", "--model", Demo.model.path, "--input", Demo.photos.path, "--output", output.path] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.error)")
            for fragment in fragments { #expect(result.error.contains(fragment), "\(arguments): \(result.error)") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty, "\(arguments) left a file")
        }
    }
}
