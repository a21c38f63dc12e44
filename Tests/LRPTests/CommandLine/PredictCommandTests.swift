import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct PredictCommandTests {
    @Test func theDemoModelSeesTheCatAsACat() throws {
        let model = try ONNXModel.load(Demo.model).model
        let cat = try InputDataset.load([Demo.photos.appendingPathComponent("cat.png")])
        let logits = try model.forward(cat.images)
        #expect(logits.scalars.indices.max { logits.scalars[$0] < logits.scalars[$1] } == CIFAR10.classNames.firstIndex(of: "cat"))
    }

    @Test func printsTopClassesAndWritesLogits() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("logits.npy")
        let result = try LRPExecutable.run(["predict", "--model", Demo.model.path, "--input", Demo.photos.path, "--output", output.path, "--top", "2"])
        #expect(result.status == 0, "\(result.error)")
        let catLine = result.output.split(separator: "\n").first { $0.hasPrefix("cat.png") }
        #expect(catLine?.contains("cat (3)") == true)
        let logits = try NPY.read(output)
        let expected = try ONNXModel.load(Demo.model).model.forward(InputDataset.load([Demo.photos]).images)
        // another process may thread OpenBLAS differently: the same sums in another order
        #expect(logits.shape == expected.shape)
        expectClose(logits.scalars, expected.scalars.map(Double.init), tolerance: 1e-6)
    }

    @Test func badInputAndUsageGetTheRightStatusAndNoOutputFile() throws {
        let folder = try TemporaryFolder()
        let output = folder.file("out.npy")
        let model = Demo.model.path
        try NPY.write(Tensor(shape: [1, 3, 8, 8]), to: folder.file("small.npy"))
        var values = [Float](repeating: 1, count: 2 * 3072)
        values[3072 + 7] = .nan
        try NPY.write(Tensor(shape: [2, 3, 32, 32], scalars: values), to: folder.file("nan.npy"))
        let cases: [([String], Int32, [String])] = [
            (["--input", folder.file("small.npy").path], 1, ["small.npy", "[3, 8, 8]", "[3, 32, 32]"]),
            (["--input", folder.file("nan.npy").path], 1, ["nan.npy[1]", "non-finite"]),
            (["--input", folder.file("none.png").path], 1, ["none.png", "no such file"]),
            (["--input", Demo.photos.path, "--output", folder.file("no/such/folder.npy").path], 1, ["does not exist"]),
            (["--input", Demo.photos.path, "--top", "0"], 2, ["--top"]),
            (["--input", Demo.photos.path, "--mean", "1,abc,2"], 2, ["'abc'"]),
            (["--input", Demo.photos.path, "--std", "1,0,1"], 2, ["--std"]),
            (["--input", Demo.photos.path, "--frobnicate"], 2, ["frobnicate"]),
        ]
        for (arguments, status, fragments) in cases {
            let result = try LRPExecutable.run(["predict", "--model", model] + arguments + (arguments.contains("--output") ? [] : ["--output", output.path]))
            #expect(result.status == status, "\(arguments): \(result.error)")
            for fragment in fragments { #expect(result.error.contains(fragment), "\(arguments): \(result.error)") }
            #expect(!FileManager.default.fileExists(atPath: output.path), "\(arguments) left an output file")
        }
    }
}
