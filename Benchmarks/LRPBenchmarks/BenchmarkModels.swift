import Foundation
import LRP

/// The networks the benchmark measures, with seeded random weights (He-scaled) so runs are comparable.
enum BenchmarkModels {
    /// VGG-11 for CIFAR: 3×3 convolutions 64-M-128-M-256-256-M-512-512-M-512-512-M, then 512→512→10.
    static func vgg11() throws -> Model {
        var random = WeightGenerator(seed: 11)
        var layers: [(name: String, layer: any Layer)] = []
        var channels = 3
        for (index, width) in [64, -1, 128, -1, 256, 256, -1, 512, 512, -1, 512, 512, -1].enumerated() {
            if width < 0 {
                layers.append(("pool\(index)", try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2))))
                continue
            }
            layers.append(("conv\(index)", try Convolution2D(weight: random.weights([width, channels, 3, 3]), bias: random.bias(width), padding: Padding2D(1))))
            layers.append(("relu\(index)", ReLU()))
            channels = width
        }
        layers += [("flatten", Flatten()), ("fc1", try Dense(weight: random.weights([512, 512]), bias: random.bias(512))), ("relu_fc1", ReLU()),
                   ("fc2", try Dense(weight: random.weights([10, 512]), bias: random.bias(10)))]
        return try Model(sampleShape: [3, 32, 32], layers: layers)
    }

    /// ResNet-18 for 32×32 input: a 3×3 stem, [2, 2, 2, 2] basic blocks of 64, 128, 256, 512 channels with
    /// batch normalization, global average pooling, 512→10.
    static func resnet18() throws -> Model {
        var random = WeightGenerator(seed: 18)
        var nodes: [Model.Node] = []
        func add(_ name: String, _ layer: any Layer, _ inputs: [String]) -> String {
            nodes.append(Model.Node(name: name, layer: layer, inputs: inputs))
            return name
        }
        func convolution(_ name: String, _ input: String, _ cin: Int, _ cout: Int, kernel: Int, stride: Int) throws -> String {
            let conv = add(name, try Convolution2D(weight: random.weights([cout, cin, kernel, kernel]), bias: nil,
                                                   stride: Size2D(stride), padding: Padding2D(kernel / 2)), [input])
            return add(name + "_bn", try random.batchNormalization(cout), [conv])
        }
        var current = add("stem_relu", ReLU(), [try convolution("stem", "input", 3, 64, kernel: 3, stride: 1)])
        var channels = 64
        for (stage, width) in [64, 128, 256, 512].enumerated() {
            for block in 0..<2 {
                let stride = stage > 0 && block == 0 ? 2 : 1
                let name = "layer\(stage + 1).\(block)"
                let first = add(name + ".relu1", ReLU(), [try convolution(name + ".conv1", current, channels, width, kernel: 3, stride: stride)])
                let second = try convolution(name + ".conv2", first, width, width, kernel: 3, stride: 1)
                let shortcut = stride == 1 && channels == width ? current : try convolution(name + ".downsample", current, channels, width, kernel: 1, stride: stride)
                current = add(name + ".relu2", ReLU(), [add(name + ".add", Addition(), [second, shortcut])])
                channels = width
            }
        }
        let pooled = add("pool", GlobalAveragePooling(keepDimensions: false), [current])
        _ = add("fc", try Dense(weight: random.weights([10, 512]), bias: random.bias(10)), [pooled])
        return try Model(sampleShape: [3, 32, 32], nodes: nodes)
    }

    /// The bundled demo model.
    static func demo() throws -> Model {
        try ONNXModel.load(URL(fileURLWithPath: "demo/cifar10_cnn.onnx")).model
    }
}

/// Seeded weights: uniform with He scaling, small biases, batch-norm statistics near identity.
struct WeightGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func uniform() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24) * 2 - 1
    }

    mutating func weights(_ shape: [Int]) throws -> Tensor {
        let fanIn = shape.dropFirst().reduce(1, *)
        let scale = (6 / Float(fanIn)).squareRoot()
        return try Tensor(shape: shape, scalars: (0 ..< shape.reduce(1, *)).map { _ in uniform() * scale })
    }

    mutating func bias(_ count: Int) throws -> Tensor {
        try Tensor(shape: [count], scalars: (0..<count).map { _ in uniform() * 0.05 })
    }

    mutating func batchNormalization(_ channels: Int) throws -> BatchNormalization {
        try BatchNormalization(scale: Tensor(shape: [channels], scalars: (0..<channels).map { _ in 1 + uniform() * 0.2 }),
                               offset: Tensor(shape: [channels], scalars: (0..<channels).map { _ in uniform() * 0.1 }),
                               mean: Tensor(shape: [channels], scalars: (0..<channels).map { _ in uniform() * 0.1 }),
                               variance: Tensor(shape: [channels], scalars: (0..<channels).map { _ in 1 + uniform() * 0.2 }))
    }
}
