import LRP

/// Convolution forward and input-gradient throughput on a CIFAR-sized layer.
struct ConvolutionBenchmark {
    let batch: Int, channels: Int, size: Int

    struct Result {
        let forwardImagesPerSecond: Double
        let gradientImagesPerSecond: Double
        let gigaflopsPerPass: Double
    }

    func run() throws -> Result {
        let weight = try Tensor(shape: [channels, channels, 3, 3], scalars: (0 ..< channels * channels * 9).map { Float($0 % 7) * 0.01 - 0.03 })
        let conv = try Convolution2D(weight: weight, bias: Tensor(shape: [channels], repeating: 0.1), padding: Padding2D(1))
        let input = try Tensor(shape: [batch, channels, size, size], scalars: (0 ..< batch * channels * size * size).map { Float($0 % 13) * 0.1 })
        let gradient = try conv.forward(input)
        let forward = try Measurement { _ = try conv.forward(input) }
        let backward = try Measurement { _ = try conv.transposed(gradient, weight: weight, inputShape: input.shape) }
        let flops = 2 * Double(batch * channels * size * size) * Double(channels * 9)
        return Result(forwardImagesPerSecond: Double(batch) / forward.secondsPerCall,
                      gradientImagesPerSecond: Double(batch) / backward.secondsPerCall,
                      gigaflopsPerPass: flops / 1e9)
    }
}
