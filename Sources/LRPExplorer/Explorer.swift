import Foundation
import Hummingbird
import LRP

/// `lrp serve`: a local web server with a page for choosing LRP rules interactively, and the JSON API
/// behind it. Explanations run off the event loops; the explainers of recent composites are kept.
///
/// ```swift
/// let explorer = Explorer(session: session)
/// try await explorer.run(host: "127.0.0.1", port: 8080) { address in print("serving on \(address)") }
/// ```
///
/// The API (all `GET`; errors are 4xx with `{"error": {"message": …}}`):
/// - `/api/model`: the model, its weighted layers, presets, color maps and limits;
/// - `/api/inputs?first=F&count=N`: inputs with labels and the top three classes;
/// - `/api/inputs/I/image.png`: input `I` as a picture;
/// - `/api/explain?input=I&spec=S&target=T&colormap=C`: the heatmap, rules and relevance sums;
/// - `/api/relevance.npy?input=I&spec=S&target=T`: the relevance as a download;
/// - `/api/aopc?first=F&count=N&spec=S&target=T`: the AOPC of a few inputs.
public struct Explorer: Sendable {
    public let session: ExplorerSession
    let cache: ExplainerCache

    /// - Parameters:
    ///   - session: the model and inputs the page explores.
    ///   - cacheCapacity: how many composites' explainers are kept.
    public init(session: ExplorerSession, cacheCapacity: Int = 8) {
        self.session = session
        cache = ExplainerCache(capacity: cacheCapacity)
    }

    /// The page and the API.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorMessageMiddleware())
        ExplorerAssets.add(to: router)
        let api = router.group("api")
        api.get("model") { _, _ in session.info }
        api.get("inputs") { request, _ in
            let range = try request.inputRange(defaultFirst: 0) { first in min(session.limits.pageSize, max(session.inputs.count - first, 0)) }
            return try await offload { [session] in try session.page(range) }
        }
        api.get("inputs/{index}/image.png") { _, context in
            let index = try context.parameters.require("index", as: Int.self)
            return Response.download(try await offload { [session] in try session.picture(of: index) }, type: "image/png")
        }
        api.get("explain") { request, _ in
            let (explainer, index, target) = (try await explainer(request), try request.integer("input"), request.text("target") ?? "predicted")
            let colorMap = try ColorMap(named: request.text("colormap") ?? "bwr")
            return try await offload { [session] in try session.explain(input: index, with: explainer, target: target, colorMap: colorMap) }
        }
        api.get("relevance.npy") { request, _ in
            let (explainer, index, target) = (try await explainer(request), try request.integer("input"), request.text("target") ?? "predicted")
            let data = try await offload { [session] in try session.relevance(input: index, with: explainer, target: target) }
            return Response.download(data, type: "application/octet-stream", name: "relevance-\(index).npy")
        }
        api.get("aopc") { request, _ in
            let (explainer, range, target) = (try await explainer(request), try request.inputRange(), request.text("target") ?? "predicted")
            let values = try await offload { [session] in try session.aopc(range, with: explainer, target: target) }
            return AOPCValues(spec: explainer.method.description, first: range.lowerBound, values: values)
        }
        return router
    }

    /// The explainer of the request's `spec`, from the cache.
    private func explainer(_ request: Request) async throws -> Explainer {
        guard let spec = request.text("spec"), !spec.isEmpty else { throw ExplorerError.badParameter("spec", "a composite is needed") }
        let composite = try Composite(spec: spec)
        return try await cache.explainer(for: composite) { [session] in try session.explainer(for: composite) }
    }

    /// Serves until the process is interrupted; `onRunning` gets the address (`http://host:port/`) once the
    /// server listens (port 0 picks a free port).
    public func run(host: String, port: Int, onRunning: @escaping @Sendable (String) -> Void) async throws {
        let application = Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "lrp serve"),
            onServerRunning: { channel in
                onRunning("http://\(host.contains(":") ? "[\(host)]" : host):\(channel.localAddress?.port ?? port)/")
            })
        // SIGINT and SIGTERM end the process as for every `lrp` command
        try await application.runService(gracefulShutdownSignals: [])
    }
}

extension Request {
    /// The query parameter `name`, if given.
    func text(_ name: String) -> String? {
        uri.queryParameters.get(name)
    }

    /// The whole-number query parameter `name` (`fallback` when it is missing).
    func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
        guard let text = text(name) else {
            guard let fallback else { throw ExplorerError.badParameter(name, "missing") }
            return fallback
        }
        guard let value = Int(text) else { throw ExplorerError.badParameter(name, "'\(text)' is not a whole number") }
        return value
    }

    /// The inputs `first ..< first + count` the query names; either parameter may have a default (`count`'s
    /// depends on `first`).
    func inputRange(defaultFirst: Int? = nil, defaultCount: ((Int) -> Int)? = nil) throws -> Range<Int> {
        let first = try integer("first", default: defaultFirst)
        guard first >= 0 else { throw ExplorerError.badParameter("first", "must be 0 or more, got \(first)") }
        let count = try integer("count", default: defaultCount?(first))
        let (end, overflow) = first.addingReportingOverflow(count)
        guard count >= 0, !overflow else { throw ExplorerError.badParameter("count", "must be 0 or more and end within the inputs, got \(count)") }
        return first ..< end
    }
}

extension Response {
    /// A response carrying `data` of media type `type`, saved as `name` by a browser when given.
    static func download(_ data: Data, type: String, name: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: type]
        if let name { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns the explorer's errors into 4xx responses whose message the page shows: a malformed or unfitting
/// composite, a bad target or parameter (400), an unknown input (404).
struct ErrorMessageMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as LRPError {
            throw HTTPError(.badRequest, message: error.message)
        } catch let error as ExplorerError {
            if case .unknownInput = error { throw HTTPError(.notFound, message: error.description) }
            throw HTTPError(.badRequest, message: error.description)
        }
    }
}
