import LRPCore
import LRPData

/// An RGB drawing surface for the reports' plots: lines, dots, rectangles and numbers in a built-in 3×5
/// pixel font (digits, `.`, `-`, `e`, `+`), so that plots need no font files. Coordinates outside are clipped.
///
/// ```swift
/// var canvas = Canvas(width: 200, height: 100)
/// canvas.line(from: (10, 90), to: (190, 10), color: Canvas.palette[0], thickness: 2)
/// canvas.text("0.25", at: (10, 10), color: Canvas.black)
/// let image = canvas.image
/// ```
public struct Canvas: Sendable {
    public typealias Color = (red: UInt8, green: UInt8, blue: UInt8)

    public static let black: Color = (0, 0, 0)
    public static let gray: Color = (200, 200, 200)
    /// Distinguishable series colors (Tableau 10).
    public static let palette: [Color] = [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    ]

    public let width: Int
    public let height: Int
    private var pixels: [UInt8]

    /// A white canvas.
    public init(width: Int, height: Int) {
        (self.width, self.height) = (max(width, 1), max(height, 1))
        pixels = [UInt8](repeating: 255, count: self.width * self.height * 3)
    }

    public var image: Image8 { Image8(validWidth: width, height: height, channels: 3, pixels: pixels) }

    public mutating func point(_ x: Int, _ y: Int, color: Color) {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return }
        let offset = (y * width + x) * 3
        (pixels[offset], pixels[offset + 1], pixels[offset + 2]) = color
    }

    public mutating func rectangle(x: Int, y: Int, width: Int, height: Int, color: Color) {
        for row in y ..< y + height { for column in x ..< x + width { point(column, row, color: color) } }
    }

    /// A straight line (Bresenham), `thickness` pixels wide.
    public mutating func line(from start: (Int, Int), to end: (Int, Int), color: Color, thickness: Int = 1) {
        var (x, y) = start
        let (dx, dy) = (abs(end.0 - x), -abs(end.1 - y))
        let (stepX, stepY) = (x < end.0 ? 1 : -1, y < end.1 ? 1 : -1)
        var error = dx + dy
        let offset = (thickness - 1) / 2
        while true {
            rectangle(x: x - offset, y: y - offset, width: thickness, height: thickness, color: color)
            if x == end.0 && y == end.1 { break }
            let twice = 2 * error
            if twice >= dy { error += dy; x += stepX }
            if twice <= dx { error += dx; y += stepY }
        }
    }

    /// A filled disc.
    public mutating func dot(at center: (Int, Int), radius: Int, color: Color) {
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius { point(center.0 + dx, center.1 + dy, color: color) }
        }
    }

    /// Draws `text` with its top-left corner at `origin`, each font pixel `scale × scale`; characters the font
    /// lacks are left blank.
    public mutating func text(_ text: String, at origin: (Int, Int), color: Color, scale: Int = 2) {
        for (index, character) in text.enumerated() {
            guard let rows = Canvas.glyphs[character] else { continue }
            for (row, bits) in rows.enumerated() {
                for (column, bit) in bits.enumerated() where bit == "#" {
                    rectangle(x: origin.0 + (index * 4 + column) * scale, y: origin.1 + row * scale, width: scale, height: scale, color: color)
                }
            }
        }
    }

    /// The width `text` takes at `scale`.
    public static func textWidth(_ text: String, scale: Int = 2) -> Int { max(text.count * 4 - 1, 0) * scale }

    private static let glyphs: [Character: [String]] = [
        "0": ["###", "#.#", "#.#", "#.#", "###"], "1": [".#.", "##.", ".#.", ".#.", "###"],
        "2": ["###", "..#", "###", "#..", "###"], "3": ["###", "..#", "###", "..#", "###"],
        "4": ["#.#", "#.#", "###", "..#", "..#"], "5": ["###", "#..", "###", "..#", "###"],
        "6": ["###", "#..", "###", "#.#", "###"], "7": ["###", "..#", "..#", "..#", "..#"],
        "8": ["###", "#.#", "###", "#.#", "###"], "9": ["###", "#.#", "###", "..#", "###"],
        ".": ["...", "...", "...", "...", ".#."], "-": ["...", "...", "###", "...", "..."],
        "+": ["...", ".#.", "###", ".#.", "..."], "e": ["...", "###", "#.#", "##.", "###"],
    ]
}
