import ArgumentParser
import Foundation
import LRP

/// `--model` and `--input` with the image preprocessing options, shared by the commands that run a model.
struct ModelInputOptions: ParsableArguments {
    @Option(name: .long, help: "The ONNX model file.")
    var model: String

    @Option(name: .long, parsing: .upToNextOption,
            help: "Input: .npy (N,C,H,W or C,H,W; used as stored), CIFAR-10 .bin batches, .png files or folders of them.")
    var input: [String]

    @Option(help: "Multiply image pixel values (0–255) by this before --mean and --std.")
    var scale: Float = 1

    @Option(help: "Per-channel mean subtracted from images, comma-separated (e.g. 0.49,0.48,0.45).", transform: numberList)
    var mean: [Float] = []

    @Option(help: "Per-channel standard deviation images are divided by, comma-separated.", transform: numberList)
    var std: [Float] = []

    @Option(help: "Class names, comma-separated (default: CIFAR-10's for 10 classes).", transform: { $0.split(separator: ",").map(String.init) })
    var classNames: [String]?

    @OptionGroup var memory: MemoryOptions

    func validate() throws {
        guard !input.isEmpty else { throw ValidationError("--input needs at least one file") }
        _ = try preprocessing()
    }

    func preprocessing() throws -> ImagePreprocessing {
        do {
            return try ImagePreprocessing(scale: scale, mean: mean, std: std)
        } catch let error as LRPError {
            throw ValidationError("--scale, --mean, --std: \(error.message)")
        }
    }

    func loadModel() throws -> ONNXModel {
        try ONNXModel.load(URL(fileURLWithPath: model), memoryLimit: memory.limit)
    }

    /// The inputs, each image's size checked against the model before its pixels are decoded.
    func loadInput(for model: Model) throws -> InputDataset {
        let batch = try InputDataset.load(input.map { URL(fileURLWithPath: $0) }, preprocessing: try preprocessing(),
                                        fitting: model.sampleShape)
        try batch.check(fits: model)
        return batch
    }

    /// The name of class `index` for a model with `count` classes.
    func className(_ index: Int, of count: Int) -> String {
        let names = classNames ?? (count == 10 ? CIFAR10.classNames : [])
        return index < names.count ? names[index] : "class \(index)"
    }
}

/// A comma-separated list of numbers given to an option.
func numberList(_ text: String) throws -> [Float] {
    try text.numbers().mapError { ValidationError("'\($0.text)' is not a number") }.get()
}
