import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// A small residual CNN used by the graph tests: conv → relu → (conv → bn) + skip → relu → maxpool →
/// avgpool → flatten → dense.
func residualTestModel(seed: UInt64) throws -> Model {
    var generator = SeededGenerator(seed: seed)
    let conv1 = try Convolution2D(weight: .random([4, 2, 3, 3], using: &generator), bias: .random([4], using: &generator), padding: Padding2D(1))
    let conv2 = try Convolution2D(weight: .random([4, 4, 3, 3], using: &generator), bias: nil, padding: Padding2D(1))
    let bn = try BatchNormalization(scale: .random([4], in: 0.5...1.5, using: &generator), offset: .random([4], using: &generator),
                                    mean: .random([4], using: &generator), variance: .random([4], in: 0.5...2, using: &generator))
    let dense = try Dense(weight: .random([3, 16], using: &generator), bias: .random([3], using: &generator))
    return try Model(inputName: "image", sampleShape: [2, 6, 6], nodes: [
        .init(name: "conv1", layer: conv1, inputs: ["image"]),
        .init(name: "relu1", layer: ReLU(), inputs: ["conv1"]),
        .init(name: "conv2", layer: conv2, inputs: ["relu1"]),
        .init(name: "bn", layer: bn, inputs: ["conv2"]),
        .init(name: "add", layer: Addition(), inputs: ["bn", "relu1"]),
        .init(name: "relu2", layer: ReLU(), inputs: ["add"]),
        .init(name: "pool", layer: try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2)), inputs: ["relu2"]),
        .init(name: "avg", layer: try AveragePooling2D(kernel: Size2D(2), stride: Size2D(1)), inputs: ["pool"]),
        .init(name: "flatten", layer: Flatten(), inputs: ["avg"]),
        .init(name: "fc", layer: dense, inputs: ["flatten"]),
    ])
}

@Suite struct ModelTests {
    @Test func sequentialModelEqualsChainedLayers() throws {
        var generator = SeededGenerator(seed: 91)
        let conv = try Convolution2D(weight: .random([3, 2, 3, 3], using: &generator), bias: nil, stride: Size2D(2))
        let dense = try Dense(weight: .random([2, 12], using: &generator), bias: nil)
        let model = try Model(sampleShape: [2, 5, 5], layers: [("conv", conv), ("relu", ReLU()), ("flat", Flatten()), ("fc", dense)])
        #expect(model.valueShapes == [[1, 2, 5, 5], [1, 3, 2, 2], [1, 3, 2, 2], [1, 12], [1, 2]])
        let x = Tensor.random([3, 2, 5, 5], using: &generator)
        let chained = try dense.forward(Flatten().forward(ReLU().forward(conv.forward(x))))
        #expect(try model.forward(x) == chained)
    }

    /// Inference runs a ReLU in the pass of the convolution, dense layer or addition whose output it alone
    /// reads, and gives the recorded forward pass's output: bit for bit where the algorithms are the same.
    @Test func inferenceRunsTheReLUsThatAloneReadALayerInItsPass() throws {
        let model = try residualTestModel(seed: 94)
        let absorbed = model.absorbedReLUs.enumerated().compactMap { index, relu in relu.map { (model.nodes[index].name, model.nodes[$0].name) } }
        // relu1's output has two readers, which does not matter; conv2 is read by the batch norm, not a ReLU
        #expect(absorbed.map(\.0) == ["conv1", "add"] && absorbed.map(\.1) == ["relu1", "relu2"])
        var generator = SeededGenerator(seed: 95)
        let x = Tensor.random([3, 2, 6, 6], using: &generator)
        expectSameBits(try model.forward(x), try model.forwardRecording(x).output)

        // a layer output that a ReLU and another node read stays as it is; a ReLU may give the model's output
        let conv = try Convolution2D(weight: .random([16, 3, 3, 3], using: &generator), bias: .random([16], using: &generator),
                                     padding: Padding2D(1))
        let wide = try Convolution2D(weight: .random([16, 16, 3, 3], using: &generator), bias: .random([16], using: &generator),
                                     padding: Padding2D(1))
        let branching = try Model(inputName: "image", sampleShape: [3, 8, 8], nodes: [
            .init(name: "conv", layer: conv, inputs: ["image"]),
            .init(name: "relu", layer: ReLU(), inputs: ["conv"]),
            .init(name: "sum", layer: Addition(), inputs: ["relu", "conv"]),
            .init(name: "wide", layer: wide, inputs: ["sum"]),
            .init(name: "out", layer: ReLU(), inputs: ["wide"]),
        ])
        #expect(branching.absorbedReLUs == [nil, nil, nil, 4, nil])
        // the 16-channel 8×8 layer takes F(4,3) for inference, F(2,3) for LRP: equal up to float32 rounding
        #expect(wide.resolvedAlgorithm(.inference, inputShape: [2, 16, 8, 8]) == .winograd4
            && wide.resolvedAlgorithm(.forward, inputShape: [2, 16, 8, 8]) == .winograd2)
        let images = Tensor.random([2, 3, 8, 8], using: &generator)
        expectClose(try branching.forward(images).scalars, try branching.forwardRecording(images).output.scalars.map(Double.init))

        // a layer whose output is the model's output keeps it, even when a ReLU reads it too
        let exposed = try Model(inputName: "image", sampleShape: [3, 8, 8], nodes: [
            .init(name: "conv", layer: conv, inputs: ["image"]),
            .init(name: "relu", layer: ReLU(), inputs: ["conv"]),
        ], outputName: "conv")
        #expect(exposed.absorbedReLUs == [nil, nil])
        expectSameBits(try exposed.forward(images), try conv.forward(images))
    }

    @Test func residualGraphGradientMatchesFiniteDifferences() throws {
        let model = try residualTestModel(seed: 92)
        var generator = SeededGenerator(seed: 93)
        let x = Tensor.random([2, 2, 6, 6], using: &generator)
        let trace = try model.forwardRecording(x)
        let upstream = Tensor.random(trace.output.shape, using: &generator)
        let gradient = try model.inputGradient(trace, outputGradient: upstream)
        // finite differences in double: the model is piecewise linear; a step of 1e-3 rarely crosses a kink,
        // and a coordinate whose difference quotient disagrees at two step sizes is one that did and is skipped
        func objective(_ input: Tensor) throws -> Double { try model.forward(input).dot(upstream) }
        var checked = 0
        for index in 0..<x.count {
            var estimates: [Double] = []
            for step: Float in [1e-3, 5e-4] {
                var plus = x, minus = x
                plus[index] += step
                minus[index] -= step
                estimates.append((try objective(plus) - objective(minus)) / (2 * Double(step)))
            }
            guard abs(estimates[0] - estimates[1]) < 1e-2 else { continue }
            #expect(abs(estimates[0] - Double(gradient[index])) < 1e-2, "coordinate \(index)")
            checked += 1
        }
        #expect(checked > x.count * 9 / 10)
    }

    @Test func nodesAreSortedTopologicallyAndStableOrderIsKept() throws {
        let model = try residualTestModel(seed: 94)
        var shuffled = model.nodes
        shuffled.swapAt(0, 5)
        shuffled.swapAt(2, 8)
        let resorted = try Model(inputName: "image", sampleShape: [2, 6, 6], nodes: shuffled, outputName: "fc")
        for (node, slots) in zip(resorted.nodes, resorted.inputSlots) {
            let position = resorted.nodes.firstIndex { $0.name == node.name }!
            #expect(slots.allSatisfy { $0 <= position })
        }
        var generator = SeededGenerator(seed: 95)
        let x = Tensor.random([1, 2, 6, 6], using: &generator)
        #expect(try resorted.forward(x) == model.forward(x))
        #expect(model.nodes.map(\.name) == ["conv1", "relu1", "conv2", "bn", "add", "relu2", "pool", "avg", "flatten", "fc"])
    }

    @Test func badGraphsAndInputsNameTheNode() throws {
        let relu = ReLU()
        expectLRPError("node 'b'", "'missing'") {
            _ = try Model(sampleShape: [1], nodes: [.init(name: "a", layer: relu, inputs: ["input"]), .init(name: "b", layer: relu, inputs: ["missing"])])
        }
        expectLRPError("cycle") {
            _ = try Model(sampleShape: [1], nodes: [.init(name: "a", layer: relu, inputs: ["b"]), .init(name: "b", layer: relu, inputs: ["a"])])
        }
        expectLRPError("node 'a'", "twice") {
            _ = try Model(sampleShape: [1], nodes: [.init(name: "a", layer: relu, inputs: ["input"]), .init(name: "a", layer: relu, inputs: ["input"])])
        }
        let dense = try Dense(weight: Tensor(shape: [2, 5]), bias: nil)
        expectLRPError("node 'fc'", "Gemm", "[1, 4]") {
            _ = try Model(sampleShape: [4], layers: [("relu", relu), ("fc", dense)])
        }
        expectLRPError("node 'add'", "2 input") {
            _ = try Model(sampleShape: [4], nodes: [.init(name: "add", layer: Addition(), inputs: ["input"])])
        }
        let model = try Model(sampleShape: [4], layers: [("relu", relu)])
        expectLRPError("[2, 5]", "[N] + [4]") { _ = try model.forward(Tensor(shape: [2, 5])) }
        expectLRPError("empty") { _ = try model.forward(Tensor(shape: [0, 4])) }
        let trace = try model.forwardRecording(Tensor(shape: [2, 4]))
        expectLRPError("output signal", "[2, 3]") { _ = try model.inputGradient(trace, outputGradient: Tensor(shape: [2, 3])) }
    }
}
