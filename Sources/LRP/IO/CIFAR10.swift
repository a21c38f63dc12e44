import Foundation

/// CIFAR-10 binary batches: records of one label byte and 3072 pixel bytes (the R, G and B planes of a
/// 32×32 image, row-major).
///
/// ```swift
/// let batch = try CIFAR10.read(URL(fileURLWithPath: "test_batch.bin"))
/// print(batch.images.shape, batch.labels.prefix(3))   // [10000, 3, 32, 32] [3, 8, 8]
/// ```
public enum CIFAR10 {
    /// The bytes of one record.
    public static let recordSize = 1 + 3 * 32 * 32
    /// The class names, in label order.
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    /// Decoded records: pixel values 0–255 as `[N, 3, 32, 32]`, and the labels.
    public struct Batch: Sendable {
        public let images: Tensor
        public let labels: [Int]
    }

    /// Reads a CIFAR-10 binary batch file.
    public static func read(_ url: URL) throws -> Batch {
        try decode(FileAccess.read(url), source: url.path)
    }

    /// Decodes CIFAR-10 records; `source` names the file in messages.
    /// - Throws: `LRPError` (`.input`) if the length is not a positive multiple of 3073 or a label exceeds 9.
    public static func decode(_ data: Data, source: String) throws -> Batch {
        guard !data.isEmpty, data.count % recordSize == 0 else {
            throw LRPError(.input, "\(source): \(data.count) bytes is not a whole number of CIFAR-10 records of \(recordSize) bytes")
        }
        let count = data.count / recordSize
        var labels: [Int] = []
        var pixels: [Float] = []
        pixels.reserveCapacity(count * (recordSize - 1))
        try data.withUnsafeBytes { raw in
            for record in 0..<count {
                let start = record * recordSize
                let label = Int(raw[start])
                guard label < classNames.count else {
                    throw LRPError(.input, "\(source): record \(record) has label \(label), CIFAR-10 labels are 0–9")
                }
                labels.append(label)
                pixels.append(contentsOf: raw[start + 1 ..< start + recordSize].map(Float.init))
            }
        }
        return Batch(images: try Tensor(shape: [count, 3, 32, 32], scalars: pixels), labels: labels)
    }

    /// Encodes images with values 0–255 and their labels as CIFAR-10 records (for fixtures and tests).
    public static func encode(images: Tensor, labels: [Int]) throws -> Data {
        guard images.rank == 4, Array(images.shape.dropFirst()) == [3, 32, 32], images.batchSize == labels.count else {
            throw LRPError(.shape, "cifar-10: needs [N, 3, 32, 32] images and N labels, got \(describe(images.shape)) and \(labels.count)")
        }
        var data = Data(capacity: labels.count * recordSize)
        for (index, label) in labels.enumerated() {
            data.append(UInt8(clamping: label))
            data.append(contentsOf: images.scalars[index * 3072 ..< (index + 1) * 3072].map { UInt8(clamping: Int($0.rounded())) })
        }
        return data
    }
}
