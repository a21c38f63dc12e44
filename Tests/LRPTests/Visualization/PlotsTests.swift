import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct PlotsTests {
    @Test func ticksAreRoundAndInsideTheRange() {
        let ticks = Plot.ticks(0...1)
        #expect(ticks.count == 6 && zip(ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Plot.ticks(-3...17) == [0, 5, 10, 15])
        #expect(Plot.ticks(2...2) == [2])
        #expect(Plot.label(0.25) == "0.25" && Plot.label(12345.6) == "1.235e+04")
    }

    @Test func linesAreDrawnInTheirSeriesColors() {
        let image = Plot(width: 200, height: 150).lines([[1, 1, 1], [0, 0, 0]])
        #expect(image.width == 200 && image.height == 150 && image.channels == 3)
        var colors = Set<[UInt8]>()
        for pixel in 0 ..< image.width * image.height { colors.insert(Array(image.pixels[pixel * 3 ..< pixel * 3 + 3])) }
        let (first, second) = (Canvas.palette[0], Canvas.palette[1])
        #expect(colors.contains([first.red, first.green, first.blue]) && colors.contains([second.red, second.green, second.blue]))
        #expect(!colors.contains { $0 == [Canvas.palette[2].red, Canvas.palette[2].green, Canvas.palette[2].blue] })
    }

    @Test func canvasDrawsClippedLinesAndText() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.line(from: (-5, 5), to: (20, 5), color: Canvas.black)
        canvas.text("1", at: (0, 0), color: Canvas.black, scale: 1)
        let image = canvas.image
        func isBlack(_ x: Int, _ y: Int) -> Bool { image.pixels[(y * 10 + x) * 3] == 0 }
        #expect((0..<10).allSatisfy { isBlack($0, 5) } && !isBlack(0, 6))
        // the glyph "1": .#. / ##. / .#. / .#. / ###
        #expect(isBlack(1, 0) && !isBlack(0, 0) && isBlack(0, 1) && isBlack(0, 4) && isBlack(2, 4))
    }
}
