import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `lrp serve` as a process: it listens on loopback, answers over a real socket, and refuses what it cannot do
/// with the command line's exit statuses.
@Suite struct ServeCommandTests {
    private let demo = ["--model", DemoExplorer.model.path, "--input", DemoExplorer.images.path]

    @Test func servesThePageAndTheAPIOnLoopback() async throws {
        let server = try ServeProcess(arguments: demo)
        defer { server.stop() }
        #expect(server.address.hasPrefix("http://127.0.0.1:") && !server.address.hasSuffix(":0/"))
        let (page, pageResponse) = try await URLSession.shared.data(from: URL(string: server.address)!)
        #expect((pageResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: page, as: UTF8.self).contains("SwiftLRP explorer"))
        let (body, response) = try await URLSession.shared.data(from: URL(string: server.address + "api/explain?input=9&spec=epsilon-plus")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 404)
        #expect(String(decoding: body, as: UTF8.self).contains("no input 9: the inputs are 0…3"))
        let (_, after) = try await URLSession.shared.data(from: URL(string: server.address + "api/model")!)
        #expect((after as? HTTPURLResponse)?.statusCode == 200)
    }

    @Test func aPortInUseOrOutOfRangeIsRefused() throws {
        let server = try ServeProcess(arguments: demo)
        defer { server.stop() }
        let port = String(server.address.split(separator: ":").last!.dropLast())
        let taken = try ServeProcess.run(["serve", "--port", port] + demo)
        #expect(taken.status == 1 && taken.error.contains("cannot serve on 127.0.0.1:\(port)"), "\(taken.error)")
        let range = try ServeProcess.run(["serve", "--port", "70000"] + demo)
        #expect(range.status == 2 && range.error.contains("--port must be 0–65535"))
        let missing = try ServeProcess.run(["serve", "--model", "absent.onnx", "--input", DemoExplorer.images.path])
        #expect(missing.status == 1 && missing.error.contains("absent.onnx"))
    }
}
