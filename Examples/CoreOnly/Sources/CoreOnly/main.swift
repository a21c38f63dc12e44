// A model built in code, explained with a preset and with a composite of one's own: the engine alone.
import LRPCore

let conv = try Convolution2D(weight: Tensor(shape: [4, 1, 3, 3], scalars: (0 ..< 36).map { Float($0 % 7) / 7 - 0.4 }),
                             bias: nil, padding: Padding2D(1))
let dense = try Dense(weight: Tensor(shape: [3, 4 * 4 * 4], scalars: (0 ..< 192).map { Float($0 % 5) / 5 - 0.3 }), bias: nil)
let model = try Model(sampleShape: [1, 8, 8], layers: [
    ("conv", conv), ("relu", ReLU()), ("pool", try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2))),
    ("flatten", Flatten()), ("fc", dense),
])
let image = try Tensor(shape: [1, 1, 8, 8], scalars: (0 ..< 64).map { Float($0 % 9) / 9 })
for composite in [Composite.epsilonPlus, try Composite(spec: "1=gamma:0.25;2=epsilon:0.1")] {
    let explanation = try Explainer(model: model, composite: composite).explain(image)
    let best = try explanation.logits.topClasses(1)[0][0]
    print("\(composite.name): class \(best.index) (p = \(best.probability)), relevance sum \(explanation.relevance.sumPerSample()[0])")
}
