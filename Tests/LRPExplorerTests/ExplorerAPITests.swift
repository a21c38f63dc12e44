import Foundation
import Hummingbird
import HummingbirdTesting
import LRP
import Testing
@testable import LRPExplorer

@Suite struct ExplorerAPITests {
    static let slides = "1-4=gamma:0.25;5-8=epsilon:0.25;9=zero"

    private func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    /// The message of a 4xx answer.
    private func message(_ response: TestResponse) throws -> String {
        struct Body: Decodable { struct Message: Decodable { let message: String }; let error: Message }
        return try decode(Body.self, response).error.message
    }

    @Test func modelListsTheWeightedLayersAsInfoDoes() async throws {
        let (_, app) = try DemoExplorer.application()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/model", method: .get)
            #expect(response.status == .ok)
            let info = try decode(ModelInfo.self, response)
            #expect(info.layers.map(\.number) == Array(1...9))
            #expect(info.layers.map(\.operatorName) == Array(repeating: "Conv", count: 6) + Array(repeating: "Gemm", count: 3))
            #expect(info.classes == CIFAR10.classNames && info.inputCount == 4 && !info.hasLabels)
            #expect(info.inputShape == [3, 32, 32] && info.inputRange[0] >= 0 && info.inputRange[1] <= 255 && info.inputRange[1] > 200)
            #expect(info.presets.contains("epsilon-plus") && info.colorMaps.contains("bwr"))
        }
    }

    @Test func inputsComeWithTheModelsTopThree() async throws {
        let (explorer, app) = try DemoExplorer.application()
        let images = try explorer.session.inputs.images(0..<4)
        let logits = try explorer.session.model.forward(images)
        try await app.test(.router) { client in
            let page = try decode(InputPage.self, try await client.execute(uri: "/api/inputs", method: .get))
            #expect(page.total == 4 && page.inputs.map(\.name) == ["astronaut.png", "cat.png", "coffee.png", "rocket.png"])
            let cat = page.inputs[1]
            #expect(cat.top.count == 3 && cat.top[0].name == "cat" && cat.label == nil)
            #expect(cat.top.map(\.score) == cat.top.map(\.score).sorted(by: >))
            #expect(cat.top[0].score == logits[1 * 10 + cat.top[0].index])
            let second = try decode(InputPage.self, try await client.execute(uri: "/api/inputs?first=2&count=2", method: .get))
            #expect(second.inputs.map(\.index) == [2, 3])
            let picture = try await client.execute(uri: "/api/inputs/1/image.png", method: .get)
            #expect(picture.headers[.contentType] == "image/png")
            let image = try PNG.decode(Data(picture.body.readableBytesView), source: "image.png")
            #expect(image.width == 32 && image.height == 32)
        }
    }

    @Test func explainGivesTheLibrarysHeatmapRulesAndSums() async throws {
        let (explorer, app) = try DemoExplorer.application()
        let explainer = try Explainer(model: explorer.session.model, composite: try Composite(spec: Self.slides))
        let expected = try explainer.explain(try explorer.session.inputs.images(1..<2), target: .fixed(5))
        try await app.test(.router) { client in
            let uri = "/api/explain?" + query([("input", "1"), ("spec", Self.slides), ("target", "5"), ("colormap", "hot")])
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .ok)
            let view = try decode(ExplainView.self, response)
            #expect(view.spec == Self.slides && view.target == 5 && view.targetName == "dog")
            #expect(view.rules.map(\.rule) == Array(repeating: "gamma:0.25", count: 4) + Array(repeating: "epsilon:0.25", count: 4) + ["zero"])
            #expect(view.score == Double(expected.targetScores[0]))
            #expect(view.relevanceSum == expected.relevance.sumPerSample()[0])
            #expect(view.layerSums.map(\.node) == expected.layerSums.map(\.node))
            #expect(view.layerSums.map(\.input) == expected.layerSums.map { $0.input[0] })
            // the backward pass starts from the target's logit at the output
            #expect(abs(view.layerSums.last!.output - view.score) < 1e-4 * max(1, abs(view.score)))
            #expect(view.layerSums.compactMap(\.weightedLayer) == Array(1...9))
            let prefix = "data:image/png;base64,"
            #expect(view.heatmap.hasPrefix(prefix))
            let picture = try PNG.decode(Data(base64Encoded: String(view.heatmap.dropFirst(prefix.count)))!, source: "heatmap")
            let reference = try Heatmap(colorMap: .hot, zoom: 1).render(expected.relevance, sample: 0)
            #expect(picture.width == 32 && picture.pixels == reference.pixels)
        }
    }

    @Test func relevanceExportIsTheExplanationAsNPY() async throws {
        let (explorer, app) = try DemoExplorer.application()
        let explainer = try Explainer(model: explorer.session.model, composite: .epsilonPlus)
        let expected = try explainer.explain(try explorer.session.inputs.images(3..<4))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/relevance.npy?input=3&spec=epsilon-plus", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"relevance-3.npy\"")
            let stored = try NPY.decode(Data(response.body.readableBytesView), source: "export").tensor
            #expect(stored.shape == [1, 3, 32, 32] && stored.scalars == expected.relevance.scalars)
        }
    }

    @Test func aopcMatchesTheRegionPerturbationOfTheLibrary() async throws {
        let (explorer, app) = try DemoExplorer.application()
        let images = try explorer.session.inputs.images(1..<3)
        let explanation = try Explainer(model: explorer.session.model, composite: try Composite(spec: "*=epsilon:0.25")).explain(images)
        let perturbation = try RegionPerturbation(patchSize: 4, steps: 32)
        let curves = try perturbation.curves(model: explorer.session.model, input: images, relevance: explanation.relevance,
                                             targets: explanation.targets, order: .mostRelevantFirst)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/aopc?" + query([("first", "1"), ("count", "2"), ("spec", "*=epsilon:0.25")]), method: .get)
            #expect(response.status == .ok)
            let answer = try decode(AOPCValues.self, response)
            #expect(answer.first == 1 && answer.values.count == 2)
            for (value, curve) in zip(answer.values, curves) { #expect(abs(value - RegionPerturbation.aopc([curve])) < 1e-6) }
        }
    }

    @Test func badRequestsGetAMessageAndTheServerKeepsServing() async throws {
        let (_, app) = try DemoExplorer.application()
        try await app.test(.router) { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/api/explain?" + query([("input", "0"), ("spec", "1-4=gamma:x;5-9=zero")]), .badRequest, "'x'"),
                ("/api/explain?" + query([("input", "0"), ("spec", "1-12=zero")]), .badRequest, "outside 1…9"),
                ("/api/explain?" + query([("input", "0"), ("spec", "1-4=zero")]), .badRequest, "weighted layer 5"),
                ("/api/explain?" + query([("input", "0"), ("spec", "rainbow")]), .badRequest, "neither a preset"),
                ("/api/explain?input=0", .badRequest, "'spec'"),
                ("/api/explain?input=99&spec=epsilon-plus", .notFound, "no input 99"),
                ("/api/explain?input=two&spec=epsilon-plus", .badRequest, "'two' is not a whole number"),
                ("/api/explain?input=0&spec=epsilon-plus&target=12", .badRequest, "target '12'"),
                ("/api/explain?input=0&spec=epsilon-plus&target=labels", .badRequest, "no labels"),
                ("/api/explain?input=0&spec=epsilon-plus&colormap=rainbow", .badRequest, "rainbow"),
                ("/api/inputs/7/image.png", .notFound, "no input 7"),
                ("/api/inputs?first=0&count=100000", .badRequest, "at most 64"),
                ("/api/aopc?first=0&count=4000&spec=epsilon-plus", .badRequest, "1 to 8"),
                ("/api/aopc?first=1&count=\(Int.max)&spec=epsilon-plus", .badRequest, "end within the inputs"),
                ("/api/aopc?first=0&spec=epsilon-plus", .badRequest, "'count': missing"),
                ("/api/inputs?first=-1", .badRequest, "'first': must be 0 or more"),
                ("/api/inputs?first=\(Int.max)&count=1", .badRequest, "end within the inputs"),
            ]
            for (uri, status, fragment) in cases {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == status, "\(uri)")
                let text = try message(response)
                #expect(text.contains(fragment), "\(uri): \(text)")
            }
            let good = try await client.execute(uri: "/api/explain?input=0&spec=epsilon-plus", method: .get)
            #expect(good.status == .ok)
        }
    }

    @Test func concurrentRequestsShareOneExplainerPerComposite() async throws {
        let (explorer, app) = try DemoExplorer.application(cacheCapacity: 2)
        let specs = ["*=gamma:0.1", "*=gamma:0.2", "*=gamma:0.1", "*=gamma:0.2", "*=gamma:0.1", "*=gamma:0.2"]
        try await app.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (index, spec) in specs.enumerated() {
                    group.addTask {
                        try await client.execute(uri: "/api/explain?" + query([("input", "\(index % 4)"), ("spec", spec)]), method: .get).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .ok, count: specs.count))
            #expect(await explorer.cache.count == 2)
            _ = try await client.execute(uri: "/api/explain?input=0&spec=epsilon-plus", method: .get)
            #expect(await explorer.cache.count == 2)   // the least recently used was dropped
        }
    }

    @Test func thePageAndItsScriptAreServed() async throws {
        let (_, app) = try DemoExplorer.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(decoding: page.body.readableBytesView, as: UTF8.self).contains("<script type=\"module\" src=\"/explorer.js\">"))
            let script = try await client.execute(uri: "/explorer.js", method: .get)
            #expect(String(decoding: script.body.readableBytesView, as: UTF8.self).contains("/api/explain?"))
            // every module the page imports is served
            for module in ["page.js", "specs.js", "sums-plot.js"] {
                let response = try await client.execute(uri: "/" + module, method: .get)
                #expect(response.status == .ok && response.headers[.contentType] == "text/javascript; charset=utf-8", "\(module)")
            }
        }
    }
}
