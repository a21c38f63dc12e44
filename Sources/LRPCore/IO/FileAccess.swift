import Foundation

/// Reading and writing whole files with the error messages the library promises: the file named, the problem
/// stated, and no half-written output.
///
/// Only regular files are read: a FIFO, device or socket where a file is expected is refused before a byte is
/// read (it is opened non-blocking and checked with `fstat`), so a hostile path cannot make a read wait forever.
package enum FileAccess {
    /// The bytes of a file.
    /// - Throws: `LRPError` (`.input`) naming the file if it is missing, a folder, not a regular file, or
    ///   unreadable.
    package static func read(_ url: URL) throws -> Data {
        try withRegularFile(url) { descriptor, size in try readBytes(descriptor, url: url, offset: 0, count: size) }
    }

    /// `count` bytes of a file from `offset` on, without reading the rest. The file's size is checked before
    /// anything is allocated.
    /// - Throws: `LRPError` (`.input`) naming the file if it is not a readable regular file or holds fewer bytes.
    package static func read(_ url: URL, offset: Int, count: Int) throws -> Data {
        try withRegularFile(url) { descriptor, size in
            let (end, overflow) = offset.addingReportingOverflow(count)
            guard offset >= 0, count >= 0, !overflow, end <= size else {
                throw LRPError(.input, "\(url.path): too short: \(count) bytes at offset \(offset) asked of a file of \(size) bytes")
            }
            return try readBytes(descriptor, url: url, offset: offset, count: count)
        }
    }

    /// The size of a regular file in bytes.
    /// - Throws: `LRPError` (`.input`) naming the file if it is missing, a folder or not a regular file.
    package static func size(of url: URL) throws -> Int {
        try withRegularFile(url) { _, size in size }
    }

    /// Opens `url` for reading without blocking (a FIFO would otherwise wait for a writer), checks with
    /// `fstat` that it is a regular file, and calls `body` with the descriptor and the file's size.
    private static func withRegularFile<T>(_ url: URL, _ body: (Int32, Int) throws -> T) throws -> T {
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw LRPError(.input, "\(url.path): no such file")
            case EISDIR: throw LRPError(.input, "\(url.path): is a folder, not a file")
            default: throw LRPError(.input, "\(url.path): cannot be opened (\(String(cString: strerror(errno))))")
            }
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw LRPError(.input, "\(url.path): cannot be read") }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw LRPError(.input, "\(url.path): is a folder, not a file")
        default: throw LRPError(.input, "\(url.path): is not a regular file (a FIFO, device or socket)")
        }
        return try body(descriptor, Int(status.st_size))
    }

    private static func readBytes(_ descriptor: Int32, url: URL, offset: Int, count: Int) throws -> Data {
        var data = Data(count: count)
        let complete = data.withUnsafeMutableBytes { buffer -> Bool in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { return false }
                done += got
            }
            return true
        }
        guard complete else { throw LRPError(.input, "\(url.path): truncated while reading") }
        return data
    }

    /// Writes `data` to `url` through a temporary file in the same folder and a rename, so that readers never
    /// see a partial file and a failed write leaves nothing behind.
    /// - Throws: `LRPError` (`.input`) naming the path if its folder does not exist or cannot be written.
    package static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = try TemporaryFiles.path(beside: url)
        do {
            try data.write(to: temporary)
        } catch {
            TemporaryFiles.discard(temporary)
            throw LRPError(.output, "\(url.path): cannot be written")
        }
        try moveIntoPlace(temporary, at: url)
    }

    /// Renames a finished temporary file to its destination (atomic, replacing what was there); on failure
    /// the temporary file is removed.
    package static func moveIntoPlace(_ temporary: URL, at url: URL) throws {
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            TemporaryFiles.discard(temporary)
            throw LRPError(.output, "\(url.path): cannot be written (\(reason))")
        }
        TemporaryFiles.release(temporary)
    }
}
