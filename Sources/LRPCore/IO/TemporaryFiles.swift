import Foundation
import Synchronization

/// The temporary files and folders this process writes beside its outputs before renaming them into place
/// (`.NAME.PID.UUID.partial`), kept so that an interrupted run leaves nothing behind: ``removeOnInterrupt()``
/// removes them on `SIGINT` and `SIGTERM`, and those of a process that no longer runs (killed outright, or out
/// of memory) are removed by the next run that writes the same output.
public enum TemporaryFiles {
    private static let live = Mutex<Set<String>>([])
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []

    /// A new hidden path beside `url`, registered for removal. Stale temporary files of `url` left by
    /// processes that are gone are removed first.
    /// - Throws: `LRPError` (`.input`) naming `url` if its folder does not exist.
    package static func path(beside url: URL) throws -> URL {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw LRPError(.input, "\(url.path): the output folder \(folder.path) does not exist")
        }
        removeStale(of: url)
        let path = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).partial")
        live.withLock { _ = $0.insert(path.path) }
        return path
    }

    /// Forgets a temporary path that was renamed into place.
    static func release(_ path: URL) {
        live.withLock { _ = $0.remove(path.path) }
    }

    /// Removes a temporary file or folder and forgets it.
    package static func discard(_ path: URL) {
        try? FileManager.default.removeItem(at: path)
        release(path)
    }

    /// Removes every temporary file and folder this process still has open.
    public static func removeAll() {
        for path in live.withLock({ $0 }) { discard(URL(fileURLWithPath: path)) }
    }

    /// Makes `SIGINT` and `SIGTERM` remove the temporary files and end the process with status 128 + the
    /// signal's number (130, 143), as shells report an interrupted command. Call once, early in a command-line
    /// tool's `main`.
    public static func removeOnInterrupt() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                removeAll()
                _exit(128 + number)   // at once: the main thread must not go on writing into removed files
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Removes `.NAME.PID.*.partial` beside `url` whose process `PID` no longer exists.
    private static func removeStale(of url: URL) {
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
            let fields = name.dropFirst(prefix.count).split(separator: ".")
            guard fields.count == 3, let pid = pid_t(fields[0]), pid > 0, pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
