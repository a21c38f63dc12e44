import Foundation
import LRPCore

/// Writes a float32 `.npy` file batch by batch: the header for the final shape first, then the batches as
/// they come, into a temporary file that replaces the destination only when ``finish()`` is called.
/// If the writer is dropped unfinished, the temporary file is removed and the destination is untouched.
///
/// ```swift
/// let writer = try NPYStreamWriter(url: output, shape: [10_000, 3, 32, 32])
/// for batch in batches { try writer.append(explainer.explain(batch).relevance) }
/// try writer.finish()
/// ```
public final class NPYStreamWriter {
    public let url: URL
    public let shape: [Int]
    private let temporary: URL
    private var handle: FileHandle?
    private var written = 0

    /// - Throws: `LRPError` (`.input`) naming the path if its folder does not exist or cannot be written.
    public init(url: URL, shape: [Int]) throws {
        (self.url, self.shape) = (url, shape)
        temporary = try TemporaryFiles.path(beside: url)
        guard FileManager.default.createFile(atPath: temporary.path, contents: try NPY.header(for: shape, as: .float32)),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw LRPError(.output, "\(url.path): cannot be written")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    /// Appends the next batch; its trailing dimensions must match.
    public func append(_ batch: Tensor) throws {
        guard let handle, Array(batch.shape.dropFirst()) == Array(shape.dropFirst()), written + batch.batchSize <= shape[0] else {
            throw LRPError(.shape, "\(url.path): a batch of shape \(describe(batch.shape)) does not continue an array of shape \(describe(shape))")
        }
        // float32 little-endian, as the header says (this library runs on little-endian machines)
        let data = batch.withUnsafeBufferPointer { values in Data(buffer: values) }
        do { try handle.write(contentsOf: data) } catch {
            throw LRPError(.output, "\(url.path): cannot be written")
        }
        written += batch.batchSize
    }

    /// Closes the file and moves it to its destination.
    /// - Throws: `LRPError` if fewer samples than the shape promised were appended, or the rename fails.
    public func finish() throws {
        guard written == shape[0] else {
            throw LRPError(.shape, "\(url.path): \(written) of \(shape[0]) samples were written")
        }
        try handle?.close()
        handle = nil
        try FileAccess.moveIntoPlace(temporary, at: url)
    }

    deinit {
        if handle != nil {
            try? handle?.close()
            TemporaryFiles.discard(temporary)
        }
    }
}
