import Foundation
import LRPCore
import LRPData

/// Line and scatter plots as pictures, for the evaluation and SpRAy reports. Series are told apart by
/// ``Canvas/palette`` color; names and axis titles belong in the page around the picture (the canvas font
/// has numbers only).
///
/// ```swift
/// let plot = Plot(width: 480, height: 300)
/// let image = plot.lines([[4, 2, 1, 0.5], [4, 3.5, 3, 2.8]])      // x = 0, 1, 2, 3
/// let scatter = plot.scatter(points: [[0.1, 0.2], [0.3, -0.1]], groups: [0, 1])
/// ```
public struct Plot: Sendable {
    public let width: Int
    public let height: Int
    /// Space for the tick labels left and below the axes.
    private let margin = (left: 70, right: 16, top: 12, bottom: 32)

    public init(width: Int = 480, height: Int = 300) {
        (self.width, self.height) = (max(width, 160), max(height, 120))
    }

    /// One line per series over x = 0, 1, …, colored `Canvas.palette[i]` (cycled); y from the data's range.
    public func lines(_ series: [[Double]], thickness: Int = 2) -> Image8 {
        let values = series.flatMap { $0 }.filter(\.isFinite)
        let longest = series.map(\.count).max() ?? 0
        var canvas = Canvas(width: width, height: height)
        let frame = Frame(x: 0 ... Double(max(longest - 1, 1)), y: Plot.paddedRange(values), plot: self)
        frame.drawAxes(on: &canvas, integerX: true)
        for (index, line) in series.enumerated() {
            let color = Canvas.palette[index % Canvas.palette.count]
            let points = line.enumerated().filter { $0.element.isFinite }.map { frame.pixel(Double($0.offset), $0.element) }
            for (start, end) in zip(points, points.dropFirst()) { canvas.line(from: start, to: end, color: color, thickness: thickness) }
            for point in points { canvas.dot(at: point, radius: thickness + 1, color: color) }
        }
        return canvas.image
    }

    /// One dot per point (`[x, y]`), colored by its group.
    public func scatter(points: [[Float]], groups: [Int]) -> Image8 {
        let xs = points.map { Double($0.first ?? 0) }, ys = points.map { Double($0.count > 1 ? $0[1] : 0) }
        var canvas = Canvas(width: width, height: height)
        let frame = Frame(x: Plot.paddedRange(xs), y: Plot.paddedRange(ys), plot: self)
        frame.drawAxes(on: &canvas, integerX: false)
        for index in points.indices {
            let group = index < groups.count ? groups[index] : 0
            canvas.dot(at: frame.pixel(xs[index], ys[index]), radius: 4, color: Canvas.palette[group % Canvas.palette.count])
        }
        return canvas.image
    }

    /// The data's range with 5% room on both sides (a unit range around a constant).
    static func paddedRange(_ values: [Double]) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max() else { return 0...1 }
        guard high > low else { return (low - 0.5)...(high + 0.5) }
        let room = (high - low) * 0.05
        return (low - room)...(high + room)
    }

    /// Maps data coordinates to pixels inside the plot's margins.
    private struct Frame {
        let x: ClosedRange<Double>, y: ClosedRange<Double>
        let left: Int, right: Int, top: Int, bottom: Int

        init(x: ClosedRange<Double>, y: ClosedRange<Double>, plot: Plot) {
            (self.x, self.y) = (x, y)
            (left, right, top, bottom) = (plot.margin.left, plot.width - plot.margin.right, plot.margin.top, plot.height - plot.margin.bottom)
        }

        func pixel(_ valueX: Double, _ valueY: Double) -> (Int, Int) {
            let u = (valueX - x.lowerBound) / (x.upperBound - x.lowerBound)
            let v = (valueY - y.lowerBound) / (y.upperBound - y.lowerBound)
            return (left + Int((u * Double(right - left)).rounded()), bottom - Int((v * Double(bottom - top)).rounded()))
        }

        func drawAxes(on canvas: inout Canvas, integerX: Bool) {
            for tick in Plot.ticks(y) {
                let (_, row) = pixel(x.lowerBound, tick)
                canvas.line(from: (left, row), to: (right, row), color: Canvas.gray)
                let label = Plot.label(tick)
                canvas.text(label, at: (left - 6 - Canvas.textWidth(label), row - 5), color: Canvas.black)
            }
            for tick in Plot.ticks(x) where !integerX || tick == tick.rounded() {
                let (column, _) = pixel(tick, y.lowerBound)
                canvas.line(from: (column, bottom), to: (column, bottom + 4), color: Canvas.black)
                let label = Plot.label(tick)
                canvas.text(label, at: (column - Canvas.textWidth(label) / 2, bottom + 8), color: Canvas.black)
            }
            canvas.line(from: (left, top), to: (left, bottom), color: Canvas.black)
            canvas.line(from: (left, bottom), to: (right, bottom), color: Canvas.black)
        }
    }

    /// About five round tick positions (1, 2 or 5 times a power of ten apart) inside `range`.
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let rough = span / 5
        let power = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        let first = (range.lowerBound / step).rounded(.up) * step
        return stride(from: first, through: range.upperBound + step * 1e-9, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    /// A short label: up to four significant digits.
    static func label(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}
