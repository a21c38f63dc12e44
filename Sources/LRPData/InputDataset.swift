import Foundation
import LRPCore

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
        guard scale.isFinite, scale != 0 else { throw LRPError(.parameter, "preprocessing: the scale must be a finite, non-zero number, got \(scale)") }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
            throw LRPError(.parameter, "preprocessing: every standard deviation must be positive and finite, and every mean finite")
        }
        guard mean.isEmpty || std.isEmpty || mean.count == std.count else {
            throw LRPError(.parameter, "preprocessing: \(mean.count) means and \(std.count) standard deviations; give one of each per channel")
        }
        (self.scale, self.mean, self.std) = (scale, mean, std)
    }

    /// Applies the preprocessing to a `[N, C, H, W]` batch of 0–255 values.
    func apply(to images: Tensor, source: String) throws -> Tensor {
        let channels = images.shape[1]
        for (name, values) in [("means", mean), ("standard deviations", std)] where !values.isEmpty && values.count != channels {
            throw LRPError(.parameter, "preprocessing: \(values.count) \(name) for \(source), which has \(channels) channels")
        }
        return images.mappedByChannel { value, channel in
            let centered = value * scale - (mean.isEmpty ? 0 : mean[channel])
            return std.isEmpty ? centered : centered / std[channel]
        }
    }
}

/// Network inputs with where they came from: a name per sample and, for CIFAR-10 batches, labels.
///
/// Files are checked when loaded but their pixels are read only when ``images(_:)`` asks for them, so inputs
/// larger than memory stream a batch at a time: `.npy` rows and CIFAR-10 records are read from their offsets,
/// PNG files decoded one by one.
///
/// ```swift
/// let inputs = try InputDataset.load([URL(fileURLWithPath: "test_batch.bin")])
/// let first = try inputs.images(0 ..< 64)        // [64, 3, 32, 32]
/// ```
public struct InputDataset: Sendable {
    /// Where a contiguous run of samples lives.
    private enum Source: Sendable {
        case decoded(Tensor)
        case npy(NPYFile)
        case cifar(CIFAR10.File, ImagePreprocessing)
        case png(URL, ImagePreprocessing)

        var count: Int {
            switch self {
            case .decoded(let tensor): tensor.batchSize
            case .npy(let file): file.rowCount
            case .cifar(let file, _): file.labels.count
            case .png: 1
            }
        }

        func rows(_ range: Range<Int>) throws -> Tensor {
            switch self {
            case .decoded(let tensor):
                return try tensor.batch(range)
            case .npy(let file):
                return try file.rows(range)
            case .cifar(let file, let preprocessing):
                return try preprocessing.apply(to: try file.images(range), source: file.url.path)
            case .png(let url, let preprocessing):
                let image = try PNG.read(url).rgbTensor()
                return try preprocessing.apply(to: try image.reshaped(to: [1] + image.shape), source: url.path)
            }
        }
    }

    /// The shape of one sample: `[C, H, W]` for images, anything for `.npy` input.
    public let sampleShape: [Int]
    /// One label per sample when the source has them (CIFAR-10, a folder with `labels.csv`), else `nil`.
    public let labels: [Int]?
    /// A readable name per sample: `file.png`, `batch.bin[17]`.
    public let names: [String]
    /// The sources in order, each with the index of its first sample.
    private let sources: [(start: Int, source: Source)]

    /// The number of samples.
    public var count: Int { names.count }

    /// Samples `range` as one tensor `[range.count] + sampleShape`.
    /// - Throws: `LRPError` (`.input`) for a range outside the samples, a failed read, or a non-finite value
    ///   (naming the sample).
    public func images(_ range: Range<Int>) throws -> Tensor {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw LRPError(.input, "inputs \(range.lowerBound)..<\(range.upperBound) are outside the \(count) samples")
        }
        var parts: [Tensor] = []
        for (start, source) in sources {
            let (low, high) = (max(start, range.lowerBound), min(start + source.count, range.upperBound))
            if low < high { parts.append(try source.rows(low - start ..< high - start)) }
        }
        let tensor = parts.count == 1 ? parts[0] : try Tensor(concatenating: parts)
        try checkFinite(tensor, firstIndex: range.lowerBound)
        return tensor
    }

    /// All samples as one tensor `[count] + sampleShape`.
    public var images: Tensor {
        get throws { try images(0 ..< count) }
    }

    /// Loads and concatenates inputs: `.npy` files (`(N, C, H, W)` or `(C, H, W)`, float32/float64/uint8,
    /// used as stored, read when asked for), CIFAR-10 `.bin` batches and `.png` files (preprocessed), or
    /// folders of `.png` files. A folder's `labels.csv` (lines `file.png,class`) gives its images' labels.
    /// - Parameters:
    ///   - urls: the files and folders, in order.
    ///   - preprocessing: what is done to image pixels (CIFAR-10 and PNG input; `.npy` is used as stored).
    ///   - sampleShape: the model's input shape, when known: a PNG file of another size is then refused
    ///     from its header, before its pixels are decoded.
    /// - Throws: `LRPError` (`.input`) naming the file: unreadable or malformed data, an unknown extension,
    ///   samples of different shapes or not of `sampleShape`, or an empty batch. (Non-finite values are
    ///   reported by ``images(_:)``, which reads them.)
    public static func load(_ urls: [URL], preprocessing: ImagePreprocessing = .identity, fitting sampleShape: [Int]? = nil) throws -> InputDataset {
        var parts: [Part] = []
        for url in urls {
            parts.append(contentsOf: try loadOne(url, preprocessing: preprocessing, fitting: sampleShape))
        }
        guard let first = parts.first else { throw LRPError(.input, "no input given") }
        for part in parts where part.sampleShape != first.sampleShape {
            throw LRPError(.input, "\(part.names.first ?? "input"): samples of shape \(describe(part.sampleShape)) do not match \(describe(first.sampleShape)) of \(first.names.first ?? "the first input")")
        }
        var start = 0
        let sources = parts.map { part -> (Int, Source) in
            defer { start += part.source.count }
            return (start, part.source)
        }
        let labels = parts.allSatisfy { $0.labels != nil } ? parts.flatMap { $0.labels ?? [] } : nil
        return InputDataset(sampleShape: first.sampleShape, labels: labels, names: parts.flatMap(\.names), sources: sources)
    }

    /// Checks that the samples fit a model's input shape.
    /// - Throws: `LRPError` (`.input`) naming the first sample's source and both shapes.
    public func check(fits model: Model) throws {
        guard sampleShape == model.sampleShape else {
            throw LRPError(.input, "\(names.first ?? "input"): samples of shape \(describe(sampleShape)) do not fit the model's input \(describe(model.sampleShape))")
        }
    }

    /// One file's samples before they are joined.
    private struct Part {
        let source: Source
        let sampleShape: [Int]
        let labels: [Int]?
        let names: [String]

        init(_ source: Source, sampleShape: [Int], labels: [Int]? = nil, names: [String]) {
            (self.source, self.sampleShape, self.labels, self.names) = (source, sampleShape, labels, names)
        }

        init(decoded images: Tensor, labels: [Int]? = nil, names: [String]) {
            self.init(.decoded(images), sampleShape: Array(images.shape.dropFirst()), labels: labels, names: names)
        }
    }

    private static func loadOne(_ url: URL, preprocessing: ImagePreprocessing, fitting sampleShape: [Int]?) throws -> [Part] {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            let images = files.filter { $0.lowercased().hasSuffix(".png") }.sorted()
            guard !images.isEmpty else { throw LRPError(.input, "\(url.path): the folder holds no .png files") }
            let labels = try files.contains("labels.csv") ? folderLabels(url.appendingPathComponent("labels.csv"), images: images) : nil
            return try images.enumerated().flatMap { index, image in
                try loadOne(url.appendingPathComponent(image), preprocessing: preprocessing, fitting: sampleShape).map { part in
                    Part(part.source, sampleShape: part.sampleShape, labels: labels.map { [$0[index]] }, names: part.names)
                }
            }
        }
        switch url.pathExtension.lowercased() {
        case "npy":
            let file = try NPYFile(url: url)
            switch file.shape.count {
            case 4:
                guard file.rowCount > 0 else { throw LRPError(.input, "\(url.path): the batch is empty") }
                let names = file.rowCount == 1 ? [url.lastPathComponent] : (0..<file.rowCount).map { "\(url.lastPathComponent)[\($0)]" }
                return [Part(.npy(file), sampleShape: Array(file.shape.dropFirst()), names: names)]
            case 3:
                let sample = try file.rows(0 ..< file.rowCount)
                return [Part(decoded: try sample.reshaped(to: [1] + sample.shape), names: [url.lastPathComponent])]
            default:
                throw LRPError(.input, "\(url.path): array of shape \(describe(file.shape)) is neither (N, C, H, W) nor (C, H, W)")
            }
        case "bin":
            let file = try CIFAR10.File(url: url)
            let source = Source.cifar(file, preprocessing)
            _ = try source.rows(0 ..< 1)   // the preprocessing fits
            return [Part(source, sampleShape: [3, 32, 32], labels: file.labels,
                         names: (0..<file.labels.count).map { "\(url.lastPathComponent)[\($0)]" })]
        case "png":
            if let sampleShape {
                let (width, height) = try PNG.dimensions(url)
                guard [3, height, width] == sampleShape else {
                    throw LRPError(.input, "\(url.path): an image of \(width)×\(height) does not fit the model's input \(describe(sampleShape))")
                }
            }
            let source = Source.png(url, preprocessing)
            let decoded = try source.rows(0 ..< 1)   // a readable image that fits the preprocessing
            return [Part(source, sampleShape: Array(decoded.shape.dropFirst()), names: [url.lastPathComponent])]
        default:
            throw LRPError(.input, "\(url.path): unknown input type '.\(url.pathExtension)' (expected .npy, .bin or .png)")
        }
    }

    /// The label of each of `images` from a folder's `labels.csv`: one `file.png,class` line per image (a
    /// first line `file,label` is a header), classes whole numbers from 0.
    /// - Throws: `LRPError` (`.input`) naming the file and line: a malformed line, a file named twice, or an
    ///   image without a label.
    private static func folderLabels(_ url: URL, images: [String]) throws -> [Int] {
        let text = String(decoding: try FileAccess.read(url), as: UTF8.self)
        var labels: [String: Int] = [:]
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.allSatisfy(\.isEmpty) || number == 0 && fields == ["file", "label"] { continue }
            guard fields.count == 2, let label = Int(fields[1]), label >= 0 else {
                throw LRPError(.input, "\(url.path): line \(number + 1) is not 'file.png,class': '\(printable(String(line.prefix(80))))'")
            }
            guard labels.updateValue(label, forKey: fields[0]) == nil else {
                throw LRPError(.input, "\(url.path): line \(number + 1) labels '\(printable(fields[0]))' a second time")
            }
        }
        return try images.map { image in
            guard let label = labels[image] else { throw LRPError(.input, "\(url.path): no label for \(printable(image))") }
            return label
        }
    }

    /// - Throws: `LRPError` (`.input`) naming the first sample of `tensor` (the dataset's sample `firstIndex`
    ///   onwards) that holds a NaN or infinity.
    private func checkFinite(_ tensor: Tensor, firstIndex: Int) throws {
        let perSample = max(1, tensor.elementsPerSample)
        if let bad = tensor.firstNonFiniteIndex() {
            let sample = firstIndex + bad / perSample
            throw LRPError(.input, "\(names[sample]): sample \(sample) holds a non-finite value (\(tensor[bad])) at element \(bad % perSample)")
        }
    }
}
