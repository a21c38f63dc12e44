import Foundation

/// How image files (PNG, CIFAR-10) are turned into network input: `x · scale`, then per channel
/// `(x − mean) / std`. `.npy` input is used as stored.
///
/// ```swift
/// let imagenetStyle = try ImagePreprocessing(scale: 1 / 255, mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26])
/// ```
public struct ImagePreprocessing: Sendable, Equatable {
    public let scale: Float
    public let mean: [Float]
    public let std: [Float]

    /// The raw pixel values 0–255.
    public static let identity = ImagePreprocessing(validScale: 1, mean: [], std: [])

    private init(validScale scale: Float, mean: [Float], std: [Float]) {
        (self.scale, self.mean, self.std) = (scale, mean, std)
    }

    /// - Throws: `LRPError` (`.parameter`) for a non-finite or zero scale, a zero or negative std, or mean and
    ///   std lists of different lengths.
    public init(scale: Float = 1, mean: [Float] = [], std: [Float] = []) throws {
        guard scale.isFinite, scale != 0 else { throw LRPError(.parameter, "--scale must be a finite, non-zero number, got \(scale)") }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
            throw LRPError(.parameter, "--std must be positive and --mean finite")
        }
        guard mean.isEmpty || std.isEmpty || mean.count == std.count else {
            throw LRPError(.parameter, "--mean has \(mean.count) values and --std \(std.count); give one per channel")
        }
        (self.scale, self.mean, self.std) = (scale, mean, std)
    }

    /// Applies the preprocessing to a `[N, C, H, W]` batch of 0–255 values.
    func apply(to images: Tensor, source: String) throws -> Tensor {
        let channels = images.shape[1]
        for (name, values) in [("--mean", mean), ("--std", std)] where !values.isEmpty && values.count != channels {
            throw LRPError(.parameter, "\(name) has \(values.count) values but \(source) has \(channels) channels")
        }
        let plane = images.shape[2] * images.shape[3]
        var result = images
        result.withUnsafeMutableBufferPointer { x in
            for index in x.indices {
                let channel = (index / plane) % channels
                let centred = x[index] * scale - (mean.isEmpty ? 0 : mean[channel])
                x[index] = std.isEmpty ? centred : centred / std[channel]
            }
        }
        return result
    }
}

/// A batch of network inputs with where they came from: a name per sample and, for CIFAR-10 batches, labels.
public struct InputBatch: Sendable {
    /// `[N, C, H, W]` (or `[N] + sample shape` for `.npy` input).
    public let images: Tensor
    /// One label per sample when the source has them (CIFAR-10), else `nil`.
    public let labels: [Int]?
    /// A readable name per sample: `file.png`, `batch.bin[17]`.
    public let names: [String]

    /// Loads and concatenates inputs: `.npy` files (`(N, C, H, W)` or `(C, H, W)`, float32/float64/uint8,
    /// used as stored), CIFAR-10 `.bin` batches and `.png` files (preprocessed), or folders of `.png` files.
    /// - Throws: `LRPError` (`.input`) naming the file: unreadable or malformed data, an unknown extension,
    ///   samples of different shapes, an empty batch, or a non-finite value (naming the first bad sample).
    public static func load(_ urls: [URL], preprocessing: ImagePreprocessing = .identity) throws -> InputBatch {
        var parts: [InputBatch] = []
        for url in urls {
            parts.append(contentsOf: try loadOne(url, preprocessing: preprocessing))
        }
        guard let first = parts.first else { throw LRPError(.input, "no input given") }
        for part in parts where Array(part.images.shape.dropFirst()) != Array(first.images.shape.dropFirst()) {
            throw LRPError(.input, "\(part.names.first ?? "input"): samples of shape \(describe(Array(part.images.shape.dropFirst()))) do not match \(describe(Array(first.images.shape.dropFirst()))) of \(first.names.first ?? "the first input")")
        }
        let labels = parts.allSatisfy { $0.labels != nil } ? parts.flatMap { $0.labels! } : nil
        let batch = InputBatch(images: try Tensor(concatenating: parts.map(\.images)), labels: labels, names: parts.flatMap(\.names))
        try batch.checkFinite()
        return batch
    }

    /// Checks that the samples fit a model's input shape.
    /// - Throws: `LRPError` (`.input`) naming the first sample's source and both shapes.
    public func check(fits model: Model) throws {
        let sample = Array(images.shape.dropFirst())
        guard sample == model.sampleShape else {
            throw LRPError(.input, "\(names.first ?? "input"): samples of shape \(describe(sample)) do not fit the model's input \(describe(model.sampleShape))")
        }
    }

    private static func loadOne(_ url: URL, preprocessing: ImagePreprocessing) throws -> [InputBatch] {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            let images = files.filter { $0.lowercased().hasSuffix(".png") }.sorted()
            guard !images.isEmpty else { throw LRPError(.input, "\(url.path): the folder holds no .png files") }
            return try images.flatMap { try loadOne(url.appendingPathComponent($0), preprocessing: preprocessing) }
        }
        switch url.pathExtension.lowercased() {
        case "npy":
            let tensor = try NPY.read(url)
            let batch: Tensor
            switch tensor.rank {
            case 4: batch = tensor
            case 3: batch = try tensor.reshaped(to: [1] + tensor.shape)
            default: throw LRPError(.input, "\(url.path): array of shape \(describe(tensor.shape)) is neither (N, C, H, W) nor (C, H, W)")
            }
            guard batch.batchSize > 0 else { throw LRPError(.input, "\(url.path): the batch is empty") }
            let names = batch.batchSize == 1 ? [url.lastPathComponent] : (0..<batch.batchSize).map { "\(url.lastPathComponent)[\($0)]" }
            return [InputBatch(images: batch, labels: nil, names: names)]
        case "bin":
            let cifar = try CIFAR10.read(url)
            return [InputBatch(images: try preprocessing.apply(to: cifar.images, source: url.path), labels: cifar.labels,
                               names: (0..<cifar.labels.count).map { "\(url.lastPathComponent)[\($0)]" })]
        case "png":
            let image = try PNG.read(url).rgbTensor()
            let batch = try image.reshaped(to: [1] + image.shape)
            return [InputBatch(images: try preprocessing.apply(to: batch, source: url.path), labels: nil, names: [url.lastPathComponent])]
        default:
            throw LRPError(.input, "\(url.path): unknown input type '.\(url.pathExtension)' (expected .npy, .bin or .png)")
        }
    }

    private func checkFinite() throws {
        let perSample = images.sampleCount
        if let bad = images.scalars.firstIndex(where: { !$0.isFinite }) {
            let sample = bad / max(1, perSample)
            throw LRPError(.input, "\(names[sample]): sample \(sample) holds a non-finite value (\(images[bad])) at element \(bad % max(1, perSample))")
        }
    }
}
