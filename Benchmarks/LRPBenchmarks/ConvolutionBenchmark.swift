import Foundation
import LRP

/// One CIFAR-sized convolution layer alone (3×3, 64→64 channels, 32×32, padding 1): forward and input
/// gradient throughput, against the sgemm yardstick.
struct ConvolutionBenchmark {
    let batch = 64, channels = 64, size = 32

    func report(sgemm: Double, seconds: Double) throws {
        var random = WeightGenerator(seed: 3)
        let conv = try Convolution2D(weight: random.weights([channels, channels, 3, 3]), bias: random.bias(channels), padding: Padding2D(1))
        let input = try Tensor(shape: [batch, channels, size, size],
                               scalars: (0 ..< batch * channels * size * size).map { Float($0 % 13) * 0.1 })
        let gradient = try conv.forward(input)
        let flopsPerImage = 2 * Double(channels * size * size) * Double(channels * 9)
        print("layer: conv 3×3 \(channels)→\(channels), \(size)×\(size), batch \(batch)")
        for (label, work) in [("forward", { _ = try conv.forward(input) }),
                              ("input gradient", { _ = try conv.transposed(gradient, weight: conv.weight, inputShape: input.shape) })] as [(String, () throws -> Void)] {
            let rate = Double(batch) / (try Measurement(minimumSeconds: seconds, rounds: 3, work)).seconds
            let gflops = rate * flopsPerImage / 1e9
            print("  " + label.padding(toLength: 15, withPad: " ", startingAt: 0)
                  + String(format: "%8.0f images/s %7.1f GFLOP/s %5.0f%% of sgemm", rate, gflops, 100 * gflops / sgemm))
        }
        print()
    }
}
