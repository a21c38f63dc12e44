import Foundation

/// `lrp serve` on a free loopback port, as a user starts it: the `lrp` built beside the tests, or the one
/// `LRP_EXECUTABLE` names (a release build, to measure latency).
final class ServeProcess {
    private let process = Process()
    private let output = Pipe()
    /// The address it printed.
    let address: String

    /// Starts `lrp serve --port 0 ARGUMENTS` and waits for the address it prints.
    init(arguments: [String]) throws {
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var printed = ""
        while !printed.contains("\n") {
            let more = output.fileHandleForReading.availableData
            guard !more.isEmpty else { throw ServeError("lrp serve stopped before printing its address") }
            printed += String(decoding: more, as: UTF8.self)
        }
        guard let start = printed.range(of: "http://") else { throw ServeError("lrp serve printed no address: \(printed)") }
        address = String(printed[start.lowerBound...].prefix { !$0.isWhitespace })
    }

    /// `LRP_EXECUTABLE`, or the `lrp` beside the test bundle in the build products folder.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["LRP_EXECUTABLE"] { return URL(fileURLWithPath: path) }
        var folder = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("lrp").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("lrp")
    }()

    /// Runs `lrp ARGUMENTS` to its end: the exit status and what it wrote to standard error.
    static func run(_ arguments: [String]) throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let message = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: message, as: UTF8.self))
    }

    var isRunning: Bool { process.isRunning }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct ServeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
