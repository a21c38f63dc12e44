import Foundation
import LRP

/// The explorer's model and inputs, and the computations behind its API: predictions, explanations of one
/// input with a composite, and the AOPC of a composite on a few inputs. Independent of HTTP; every method is
/// synchronous and may take a while, so the server runs them off its event loops.
///
/// ```swift
/// let session = try ExplorerSession(model: model, modelName: "cifar10_cnn.onnx", inputs: batch,
///                                   classNames: CIFAR10.classNames)
/// let explainer = try session.explainer(for: try Composite(spec: "1-4=gamma:0.25;5-9=epsilon:0.25"))
/// let view = try session.explain(input: 0, with: explainer, target: "predicted", colorMap: .bwr)
/// ```
public struct ExplorerSession: Sendable {
    /// The limits on what one request may ask for.
    public struct Limits: Sendable, Codable, Equatable {
        /// The most inputs one page of the gallery (predictions) may list.
        public var pageSize = 64
        /// The most inputs one AOPC request may perturb.
        public var aopcInputs = 8
        public init() {}
    }

    /// The model as imported (`lrp info` numbers its weighted layers).
    public let model: Model
    /// The model file's name, for the page's title.
    public let modelName: String
    public let inputs: InputDataset
    /// One name per output class.
    public let classNames: [String]
    public let limits: Limits
    let memoryLimit: MemoryLimit
    /// The weighted layers in `lrp info`'s numbering.
    let layers: [LayerInfo]
    /// The smallest and largest input value among the first inputs: the default box bounds.
    let inputRange: [Float]
    /// The region perturbation behind AOPC: `lrp evaluate`'s defaults (4 × 4 patches, half of them, set to 0).
    let perturbation: RegionPerturbation?

    /// - Parameters:
    ///   - model: the model to explain.
    ///   - modelName: the name the page shows (the file's name).
    ///   - inputs: the inputs the page offers.
    ///   - classNames: one per output class.
    ///   - limits: bounds on what one request may ask for.
    ///   - memoryLimit: bounds the working memory of every explainer the session makes.
    /// - Throws: `LRPError` when the inputs do not fit the model or the class names do not match its outputs.
    public init(model: Model, modelName: String, inputs: InputDataset, classNames: [String], limits: Limits = Limits(),
                memoryLimit: MemoryLimit = .standard) throws {
        try inputs.check(fits: model)
        guard classNames.count == model.outputShape.last else {
            throw LRPError(.parameter, "\(classNames.count) class names for a model with \(model.outputShape.last ?? 0) outputs")
        }
        (self.model, self.modelName, self.inputs, self.classNames, self.limits, self.memoryLimit) =
            (model, modelName, inputs, classNames, limits, memoryLimit)
        layers = ModelSummary(model).rows.compactMap { row in
            row.weightedLayerNumber.map {
                LayerInfo(number: $0, node: row.name, operatorName: row.operatorName, outputShape: Array(row.outputShape.dropFirst()),
                          details: row.details)
            }
        }
        let sample = try inputs.images(0 ..< min(inputs.count, 64)).scalars
        inputRange = [sample.min() ?? 0, sample.max() ?? 0]
        let shape = inputs.sampleShape
        perturbation = shape.count == 3
            ? try RegionPerturbation(patchSize: 4, steps: max(RegionPerturbation.patchCount(height: shape[1], width: shape[2], patchSize: 4) / 2, 1))
            : nil
    }

    /// What the page needs to draw its editor.
    public var info: ModelInfo {
        ModelInfo(name: modelName, inputShape: inputs.sampleShape, classes: classNames, layers: layers, inputCount: inputs.count,
                  hasLabels: inputs.labels != nil, inputRange: inputRange, presets: Composite.presetNames,
                  colorMaps: ColorMap.all.map(\.name), limits: limits)
    }

    /// The inputs `range` with their labels and the model's top three classes.
    /// - Throws: `LRPError` (`.parameter`) for a range outside the inputs or longer than a page.
    public func page(_ range: Range<Int>) throws -> InputPage {
        guard range.lowerBound >= 0, range.upperBound <= inputs.count, range.count <= limits.pageSize else {
            throw LRPError(.parameter, "inputs \(range.lowerBound)..<\(range.upperBound): ask for at most \(limits.pageSize) of the \(inputs.count) inputs (0..<\(inputs.count))")
        }
        guard !range.isEmpty else { return InputPage(total: inputs.count, inputs: []) }
        let logits = try model.forward(try inputs.images(range))
        let classes = logits.elementsPerSample
        return InputPage(total: inputs.count, inputs: range.enumerated().map { offset, index in
            let scores = Array(logits.scalars[offset * classes ..< (offset + 1) * classes])
            let ranked = scores.indices.sorted { scores[$0] > scores[$1] || scores[$0] == scores[$1] && $0 < $1 }
            let label = inputs.labels?[index]
            return InputInfo(index: index, name: inputs.names[index], label: label, labelName: label.map { classNames[$0] },
                             top: ranked.prefix(3).map { Prediction(index: $0, name: classNames[$0], score: scores[$0]) })
        })
    }

    /// Input `index` as a picture (one pixel per input pixel).
    public func picture(of index: Int) throws -> Data {
        try PNG.encode(try Image8.display(try image(index), sample: 0))
    }

    /// The explainer for a composite; `ExplainerCache` keeps them.
    /// - Throws: `LRPError` (`.parameter`) when the composite does not fit the model, naming the bad part.
    public func explainer(for composite: Composite) throws -> Explainer {
        try Explainer(model: model, method: .lrp(composite), memoryLimit: memoryLimit)
    }

    /// Explains input `index` with `explainer`: the heatmap, the rule of each weighted layer, and the relevance
    /// sums of every node (conservation).
    /// - Parameters:
    ///   - index: the input's position in ``inputs``.
    ///   - explainer: an explainer of this session's model (see ``explainer(for:)``).
    ///   - target: `predicted`, `labels` (the input's label) or a class number.
    ///   - colorMap: the heatmap's color map.
    /// - Throws: ``ExplorerError/unknownInput(_:count:)``, or `LRPError` (`.parameter`) for a bad target.
    public func explain(input index: Int, with explainer: Explainer, target: String, colorMap: ColorMap) throws -> ExplainView {
        let started = DispatchTime.now()
        let explanation = try explainer.explain(try image(index), target: try self.target(target, for: index ..< index + 1))
        let picture = try PNG.encode(try Heatmap(colorMap: colorMap, zoom: 1).render(explanation.relevance, sample: 0))
        let rules = layers.map { LayerRule(number: $0.number, rule: explainer.rules[$0.node]?.description ?? "") }
        let sums = explanation.layerSums.map { sums in
            LayerSum(node: sums.node, operatorName: sums.operatorName, weightedLayer: sums.weightedLayerNumber, input: sums.input[0], output: sums.output[0])
        }
        let target = explanation.targets[0]
        return ExplainView(spec: explainer.method.description, input: index, target: target, targetName: classNames[target],
                           score: Double(explanation.targetScores[0]), relevanceSum: explanation.relevance.sumPerSample()[0],
                           heatmap: "data:image/png;base64," + picture.base64EncodedString(), rules: rules, layerSums: sums,
                           milliseconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6)
    }

    /// The relevance of input `index` as a float32 `.npy` file `[1, C, H, W]`.
    public func relevance(input index: Int, with explainer: Explainer, target: String) throws -> Data {
        try NPY.encode(try explainer.explain(try image(index), target: try self.target(target, for: index ..< index + 1)).relevance)
    }

    /// The AOPC (most relevant patches first) of each of the inputs `range` for `explainer`.
    /// - Throws: `LRPError` (`.parameter`) for a range outside the inputs or larger than ``Limits/aopcInputs``,
    ///   or inputs that are not images.
    public func aopc(_ range: Range<Int>, with explainer: Explainer, target: String) throws -> [Double] {
        guard range.lowerBound >= 0, range.upperBound <= inputs.count, (1...limits.aopcInputs).contains(range.count) else {
            throw LRPError(.parameter, "AOPC of inputs \(range.lowerBound)..<\(range.upperBound): ask for 1 to \(limits.aopcInputs) of the \(inputs.count) inputs at a time")
        }
        guard let perturbation else {
            throw LRPError(.parameter, "AOPC needs image inputs [C, H, W], not \(inputs.sampleShape)")
        }
        let images = try inputs.images(range)
        let explanation = try explainer.explain(images, target: try self.target(target, for: range))
        // the curve's first point from the same inference pass as the others (the explanation's recorded
        // logits differ in the last bits)
        let curves = try perturbation.curves(model: model, input: images, relevance: explanation.relevance, targets: explanation.targets,
                                             order: .mostRelevantFirst)
        return curves.map { RegionPerturbation.aopc([$0]) }
    }

    /// Input `index` as a batch of one.
    private func image(_ index: Int) throws -> Tensor {
        guard (0..<inputs.count).contains(index) else { throw ExplorerError.unknownInput(index, count: inputs.count) }
        return try inputs.images(index ..< index + 1)
    }

    /// The target of the inputs `range` (within the inputs) from `predicted`, `labels` or a class number.
    private func target(_ text: String, for range: Range<Int>) throws -> Target {
        switch text {
        case "predicted":
            return .predicted
        case "labels":
            guard let labels = inputs.labels else { throw LRPError(.parameter, "target 'labels': these inputs have no labels") }
            return .perSample(Array(labels[range]))
        default:
            guard let number = Int(text), classNames.indices.contains(number) else {
                throw LRPError(.parameter, "target '\(text)': expected predicted, labels or a class number 0…\(classNames.count - 1)")
            }
            return .fixed(number)
        }
    }
}
