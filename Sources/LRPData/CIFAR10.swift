import Foundation
import LRPCore

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

    /// A CIFAR-10 batch file read a few records at a time: the labels are read when it is opened (in blocks,
    /// without keeping the pixels), the images when asked for.
    ///
    /// ```swift
    /// let file = try CIFAR10.File(url: URL(fileURLWithPath: "data_batch_1.bin"))
    /// let first = try file.images(0 ..< 64)      // [64, 3, 32, 32], values 0–255
    /// ```
    public struct File: Sendable {
        public let url: URL
        /// The label of every record.
        public let labels: [Int]

        /// - Throws: `LRPError` (`.input`) naming the file if its length is not a positive multiple of 3073
        ///   or a label exceeds 9.
        public init(url: URL) throws {
            let size = try FileAccess.size(of: url)
            guard size > 0, size % recordSize == 0 else {
                throw LRPError(.input, "\(url.path): \(size) bytes is not a whole number of CIFAR-10 records of \(recordSize) bytes")
            }
            let count = size / recordSize
            var labels: [Int] = []
            labels.reserveCapacity(count)
            for start in stride(from: 0, to: count, by: 1024) {
                let block = try FileAccess.read(url, offset: start * recordSize, count: min(1024, count - start) * recordSize)
                for record in 0 ..< block.count / recordSize {
                    let label = Int(block[block.startIndex + record * recordSize])
                    guard label < classNames.count else {
                        throw LRPError(.input, "\(url.path): record \(start + record) has label \(label), CIFAR-10 labels are 0–9")
                    }
                    labels.append(label)
                }
            }
            (self.url, self.labels) = (url, labels)
        }

        /// The images of records `range`, values 0–255.
        /// - Throws: `LRPError` (`.input`) for records outside the file or a failed read.
        public func images(_ range: Range<Int>) throws -> Tensor {
            guard range.lowerBound >= 0, range.upperBound <= labels.count else {
                throw LRPError(.input, "\(url.path): records \(range.lowerBound)..<\(range.upperBound) are outside its \(labels.count) records")
            }
            let data = try FileAccess.read(url, offset: range.lowerBound * recordSize, count: range.count * recordSize)
            return try decode(data, source: url.path).images
        }
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
