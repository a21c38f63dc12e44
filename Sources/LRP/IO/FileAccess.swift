import Foundation

/// Reading and writing whole files with the error messages the library promises: the file named, the problem
/// stated, and no half-written output.
enum FileAccess {
    /// The bytes of a file.
    /// - Throws: `LRPError` (`.input`) naming the file if it is missing, a folder, or unreadable.
    static func read(_ url: URL) throws -> Data {
        try checkRegularFile(url)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw LRPError(.input, "\(url.path): cannot be read")
        }
    }

    /// - Throws: `LRPError` (`.input`) naming the path if nothing is there or it is a folder.
    private static func checkRegularFile(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw LRPError(.input, "\(url.path): no such file")
        }
        guard !isFolder.boolValue else { throw LRPError(.input, "\(url.path): is a folder, not a file") }
    }

    /// `count` bytes of a file from `offset` on, without reading the rest.
    /// - Throws: `LRPError` (`.input`) naming the file if it cannot be opened or holds fewer bytes.
    static func read(_ url: URL, offset: Int, count: Int) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw LRPError(.input, "\(url.path): cannot be opened") }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw LRPError(.input, "\(url.path): truncated while reading") }
            return data
        } catch let error as LRPError {
            throw error
        } catch {
            throw LRPError(.input, "\(url.path): cannot be read (\(error.localizedDescription))")
        }
    }

    /// The size of a regular file in bytes.
    /// - Throws: `LRPError` (`.input`) naming the file if it is missing or a folder.
    static func size(of url: URL) throws -> Int {
        try checkRegularFile(url)
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Writes `data` to `url` through a temporary file in the same folder and a rename, so that readers never
    /// see a partial file and a failed write leaves nothing behind.
    /// - Throws: `LRPError` (`.input`) naming the path if its folder does not exist or cannot be written.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = try temporaryFile(for: url)
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw LRPError(.input, "\(url.path): cannot be written")
        }
        try moveIntoPlace(temporary, at: url)
    }

    /// A hidden temporary path beside `url`, for writing before a rename.
    /// - Throws: `LRPError` (`.input`) naming `url` if its folder does not exist.
    static func temporaryFile(for url: URL) throws -> URL {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw LRPError(.input, "\(url.path): the output folder \(folder.path) does not exist")
        }
        return folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
    }

    /// Renames a finished temporary file to its destination (atomic, replacing what was there); on failure
    /// the temporary file is removed.
    static func moveIntoPlace(_ temporary: URL, at url: URL) throws {
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw LRPError(.input, "\(url.path): cannot be written (\(reason))")
        }
    }
}

/// A cursor over bytes that refuses to read past the end.
struct ByteReader {
    let data: Data
    let source: String
    private(set) var offset: Int

    init(_ data: Data, source: String) {
        (self.data, self.source, self.offset) = (data, source, data.startIndex)
    }

    var remaining: Int { data.endIndex - offset }

    mutating func bytes(_ count: Int, _ what: String) throws -> Data {
        guard count >= 0, count <= remaining else {
            throw LRPError(.input, "\(source): truncated: \(what) needs \(count) bytes, \(remaining) left")
        }
        defer { offset += count }
        return data[offset ..< offset + count]
    }

    mutating func uint8(_ what: String) throws -> UInt8 { try bytes(1, what).first! }

    mutating func uint16LittleEndian(_ what: String) throws -> Int {
        let b = try bytes(2, what)
        return Int(b[b.startIndex]) | Int(b[b.startIndex + 1]) << 8
    }

    mutating func uint32(_ what: String, bigEndian: Bool) throws -> Int {
        let b = Array(try bytes(4, what))
        let ordered = bigEndian ? b : b.reversed()
        return ordered.reduce(0) { $0 << 8 | Int($1) }
    }
}
