import Foundation

/// `lrp serve` on a free loopback port, as a user starts it: the `lrp` built beside the tests, or the one
/// `LRP_EXECUTABLE` names (a release build, to measure latency).
final class ServeProcess {
    private let process = Process()
    private let output = Pipe()
    /// The address it printed.
    let address: String

    init(arguments: [String]) throws {
        if let executable = ProcessInfo.processInfo.environment["LRP_EXECUTABLE"] {
            process.executableURL = URL(fileURLWithPath: executable)
        } else {
            var folder = Bundle.main.bundleURL
            while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("lrp").path), folder.path != "/" {
                folder.deleteLastPathComponent()
            }
            process.executableURL = folder.appendingPathComponent("lrp")
        }
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var printed = ""
        while !printed.contains("\n") {
            let more = output.fileHandleForReading.availableData
            guard !more.isEmpty else { throw BrowserError("lrp serve stopped before printing its address") }
            printed += String(decoding: more, as: UTF8.self)
        }
        guard let start = printed.range(of: "http://") else { throw BrowserError("lrp serve printed no address: \(printed)") }
        address = String(printed[start.lowerBound...].prefix { !$0.isWhitespace })
    }

    var isRunning: Bool { process.isRunning }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
