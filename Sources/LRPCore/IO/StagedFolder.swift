import Foundation

/// Writes a set of files into a folder all or nothing: files go to a temporary folder beside the
/// destination and are moved in by ``commit()``; dropped uncommitted, the temporary folder is removed.
///
/// ```swift
/// let staged = try StagedFolder(destination: URL(fileURLWithPath: "out"))
/// try staged.write(png, named: "grid.png")
/// try staged.commit()
/// ```
public final class StagedFolder {
    public let destination: URL
    private let staging: URL
    private var committed = false

    /// - Throws: `LRPError` (`.input`) if the destination exists and is not a folder, or the staging folder
    ///   cannot be created.
    public init(destination: URL) throws {
        self.destination = destination.standardizedFileURL
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: self.destination.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw LRPError(.input, "\(destination.path): exists and is not a folder")
        }
        do {
            try FileManager.default.createDirectory(at: self.destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            staging = try TemporaryFiles.path(beside: self.destination)
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw LRPError(.output, "\(destination.path): the folder cannot be created")
        }
    }

    /// Stages one file.
    public func write(_ data: Data, named name: String) throws {
        do { try data.write(to: staging.appendingPathComponent(name)) } catch {
            throw LRPError(.output, "\(destination.appendingPathComponent(name).path): cannot be written")
        }
    }

    /// Moves the staged files into the destination (created if needed), each by an atomic rename.
    public func commit() throws {
        do {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        } catch {
            throw LRPError(.output, "\(destination.path): the folder cannot be created")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []
        for name in names.sorted() {
            try FileAccess.moveIntoPlace(staging.appendingPathComponent(name), at: destination.appendingPathComponent(name))
        }
        committed = true
        TemporaryFiles.discard(staging)
    }

    deinit {
        if !committed { TemporaryFiles.discard(staging) }
    }
}
