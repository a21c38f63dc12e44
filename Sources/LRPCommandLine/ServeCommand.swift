import ArgumentParser
import Foundation
import LRP
import LRPExplorer
import Synchronization

/// `lrp serve`: the interactive explorer on a local web server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Choose rules interactively: a web page with the inputs, a composite editor and live heatmaps.",
        discussion: """
            Serves a page on this machine only (127.0.0.1 unless --host says otherwise) and prints its address; \
            nothing is written unless the page is asked for an export. Stop it with Ctrl-C.
            """)

    @OptionGroup var options: ModelInputOptions

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port: Int = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535, got \(port)") }
    }

    func run() throws {
        let imported = try options.loadModel()
        let batch = try options.loadInput(for: imported.model)
        let classes = imported.model.outputShape.last ?? 0
        let session = try ExplorerSession(
            model: imported.model, modelName: URL(fileURLWithPath: options.model).lastPathComponent, inputs: batch,
            classNames: (0..<classes).map { options.className($0, of: classes) }, memoryLimit: options.memory.limit)
        let explorer = Explorer(session: session)
        let (host, port) = (host, port)
        // the server runs in Swift's concurrency pool; this thread waits for it (it stops on an error or a signal)
        let failure = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await explorer.run(host: host, port: port) { address in
                    // unbuffered, so that a script reading the address sees it at once
                    FileHandle.standardOutput.write(Data("lrp serve: \(batch.count) inputs, \(session.info.layers.count) weighted layers; open \(address)\n".utf8))
                }
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) { throw LRPError(.input, "cannot serve on \(host):\(port): \(error)") }
    }
}
