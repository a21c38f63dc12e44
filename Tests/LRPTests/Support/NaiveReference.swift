@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Direct, loop-by-loop double-precision implementations that the optimized layers are checked against.
enum NaiveReference {
    /// Convolution straight from its definition.
    static func convolution(
        _ x: Tensor, weight w: Tensor, bias: Tensor?, stride: Size2D, padding: Padding2D, dilation: Size2D, groups: Int
    ) -> (shape: [Int], values: [Double]) {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let oh = (h + padding.top + padding.bottom - dilation.height * (kh - 1) - 1) / stride.height + 1
        let ow = (wd + padding.left + padding.right - dilation.width * (kw - 1) - 1) / stride.width + 1
        let outPerGroup = co / groups
        var out = [Double](repeating: 0, count: n * co * oh * ow)
        for b in 0..<n { for o in 0..<co { for i in 0..<oh { for j in 0..<ow {
            let group = o / outPerGroup
            var sum = Double(bias?[o] ?? 0)
            for ci in 0..<cg { for ki in 0..<kh { for kj in 0..<kw {
                let row = i * stride.height - padding.top + ki * dilation.height
                let col = j * stride.width - padding.left + kj * dilation.width
                guard row >= 0, row < h, col >= 0, col < wd else { continue }
                let channel = group * cg + ci
                sum += Double(x[((b * c + channel) * h + row) * wd + col]) * Double(w[((o * cg + ci) * kh + ki) * kw + kj])
            } } }
            out[((b * co + o) * oh + i) * ow + j] = sum
        } } } }
        _ = c
        return ([n, co, oh, ow], out)
    }

    /// Pooling over windows inside the image: max or mean (with the chosen divisor).
    static func pooling(
        _ x: Tensor, kernel: Size2D, stride: Size2D, padding: Padding2D, max isMax: Bool, countIncludePad: Bool = false
    ) -> (shape: [Int], values: [Double]) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + padding.top + padding.bottom - kernel.height) / stride.height + 1
        let ow = (w + padding.left + padding.right - kernel.width) / stride.width + 1
        var out: [Double] = []
        for plane in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow {
            var values: [Double] = []
            for ki in 0..<kernel.height { for kj in 0..<kernel.width {
                let row = i * stride.height - padding.top + ki, col = j * stride.width - padding.left + kj
                if row >= 0, row < h, col >= 0, col < w { values.append(Double(x[(plane * h + row) * w + col])) }
            } }
            out.append(isMax ? values.max()! : values.reduce(0, +) / Double(countIncludePad ? kernel.height * kernel.width : values.count))
        } } }
        return ([n, c, oh, ow], out)
    }
}
