import Foundation

/// Runs the built `lrp` executable and captures what it printed.
struct CommandResult {
    let status: Int32
    let output: String
    let error: String
}

enum LRPExecutable {
    /// `lrp` sits beside the test bundle in the build products folder.
    static let url: URL = {
        var folder = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("lrp").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("lrp")
    }()

    static func run(_ arguments: [String]) throws -> CommandResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                             error: String(decoding: errorData, as: UTF8.self))
    }
}

/// The bundled demo files.
/// The bundled demo: akamaster's CIFAR-10 ResNet-20 with eight CIFAR-10 test images (`make run`), and the
/// Keras CNN, which most tests use with four photographs (Fixtures/photos, the demo's images before).
enum Demo {
    static let folder = Fixtures.folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("demo")
    static let resNet = folder.appendingPathComponent("cifar10_resnet20.onnx")
    static let images = folder.appendingPathComponent("images")
    static let model = folder.appendingPathComponent("cifar10_cnn.onnx")
    static let photos = Fixtures.url("photos")
}
