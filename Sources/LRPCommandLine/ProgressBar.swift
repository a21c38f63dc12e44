import Foundation

/// A progress bar on standard error, drawn only when standard error is a terminal and not silenced.
struct ProgressBar {
    let total: Int
    let label: String
    private let enabled: Bool

    init(total: Int, label: String, quiet: Bool) {
        (self.total, self.label) = (total, label)
        enabled = !quiet && total > 1 && isatty(STDERR_FILENO) != 0
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
