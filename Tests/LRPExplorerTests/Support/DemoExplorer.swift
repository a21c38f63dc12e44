import Foundation
import Hummingbird
import LRP
@testable import LRPExplorer

/// The explorer on the bundled Keras CNN and the four photographs the library's tests use
/// (`Tests/LRPTests/Fixtures/photos`), as `lrp serve` sets it up.
enum DemoExplorer {
    /// The repository, from `Tests/LRPExplorerTests/Support/`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let model = root.appendingPathComponent("demo/cifar10_cnn.onnx")
    static let images = root.appendingPathComponent("Tests/LRPTests/Fixtures/photos")

    /// Loaded once for all tests (each gets its own explainer cache).
    static let session = Result {
        let imported = try ONNXModel.load(model)
        let inputs = try InputDataset.load([images], fitting: imported.model.sampleShape)
        return try ExplorerSession(model: imported.model, modelName: "cifar10_cnn.onnx", inputs: inputs, classNames: CIFAR10.classNames)
    }

    static func application(cacheCapacity: Int = 8) throws -> (Explorer, some ApplicationProtocol) {
        let explorer = Explorer(session: try session.get(), cacheCapacity: cacheCapacity)
        return (explorer, Application(router: explorer.router()))
    }
}

/// The query string of `parameters`, each value percent-encoded.
func query(_ parameters: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
}
