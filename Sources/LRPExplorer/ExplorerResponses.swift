import Hummingbird

/// The model, its weighted layers and the choices the page offers (`GET /api/model`).
public struct ModelInfo: ResponseCodable, Sendable, Equatable {
    public let name: String
    public let inputShape: [Int]
    /// One name per output class.
    public let classes: [String]
    /// The weighted layers as `lrp info` numbers them.
    public let layers: [LayerInfo]
    public let inputCount: Int
    public let hasLabels: Bool
    /// The smallest and largest input value among the first inputs.
    public let inputRange: [Float]
    /// The preset composites `--composite` accepts.
    public let presets: [String]
    public let colorMaps: [String]
    public let limits: ExplorerSession.Limits
}

/// A weighted layer (convolution or dense) with its number for composites.
public struct LayerInfo: Codable, Sendable, Equatable {
    public let number: Int
    public let node: String
    public let operatorName: String
    /// The output shape of one sample.
    public let outputShape: [Int]
    public let details: String
}

/// A page of the gallery (`GET /api/inputs?first=F&count=N`).
public struct InputPage: ResponseCodable, Sendable, Equatable {
    /// How many inputs there are in all.
    public let total: Int
    public let inputs: [InputInfo]
}

/// One input with its label (where known) and the model's top three classes.
public struct InputInfo: Codable, Sendable, Equatable {
    public let index: Int
    public let name: String
    public let label: Int?
    public let labelName: String?
    public let top: [Prediction]
}

public struct Prediction: Codable, Sendable, Equatable {
    /// The class number.
    public let index: Int
    public let name: String
    public let score: Float
}

/// One input explained with one composite (`GET /api/explain`).
public struct ExplainView: ResponseCodable, Sendable, Equatable {
    /// The composite as the explainer names it (the specification it was parsed from, or the preset).
    public let spec: String
    public let input: Int
    /// The explained class.
    public let target: Int
    public let targetName: String
    /// The target's logit.
    public let score: Double
    /// Σ relevance at the input.
    public let relevanceSum: Double
    /// The heatmap as a `data:` URL of a PNG, one pixel per input pixel.
    public let heatmap: String
    /// The rule of each weighted layer.
    public let rules: [LayerRule]
    /// Relevance sums at every node, in model order (input first).
    public let layerSums: [LayerSum]
    /// The time the explanation and its picture took on the server.
    public let milliseconds: Double
}

public struct LayerRule: Codable, Sendable, Equatable {
    public let number: Int
    /// The rule's specification (`gamma:0.25`).
    public let rule: String
}

/// The relevance sums of one node for the explained input: equal at its input and output when its rule
/// conserves relevance.
public struct LayerSum: Codable, Sendable, Equatable {
    public let node: String
    public let operatorName: String
    /// The node's weighted-layer number, if it is one.
    public let weightedLayer: Int?
    public let input: Double
    public let output: Double
}

/// The AOPC of each of a few inputs (`GET /api/aopc?first=F&count=N`).
public struct AOPCValues: ResponseCodable, Sendable, Equatable {
    public let spec: String
    public let first: Int
    public let values: [Double]
}
