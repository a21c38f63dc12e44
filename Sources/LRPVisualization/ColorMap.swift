import LRPCore
import LRPData

/// A color map with Zennit's definitions and arithmetic, so heatmaps look as Zennit users expect:
/// a 256-entry palette interpolated between color nodes.
///
/// ```swift
/// let palette = ColorMap.bwr.palette()      // 256 RGB triples, blue → white → red
/// let map = try ColorMap(named: "coldnhot")
/// ```
public struct ColorMap: Sendable, Hashable, CustomStringConvertible {
    /// A color at a palette position (0–255), or spread evenly between its neighbors when `nil`.
    public struct Node: Sendable, Hashable {
        public let index: Int?
        public let rgb: UInt32
        public init(_ index: Int?, _ rgb: UInt32) { (self.index, self.rgb) = (index, rgb) }
    }

    public let name: String
    public var description: String { name }
    private let indices: [Double]
    private let colors: [[Double]]

    /// Builds the interpolation table as Zennit's `ColorMap._make_palette` does.
    /// - Throws: `LRPError` (`.parameter`) for fewer than two nodes, or node positions outside 0–255 or not
    ///   increasing.
    public init(name: String, nodes: [Node]) throws {
        let positions = nodes.compactMap(\.index)
        guard nodes.count >= 2, positions.allSatisfy({ (0 ... 255).contains($0) }), zip(positions, positions.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw LRPError(.parameter, "color map '\(name)': needs at least two nodes at increasing positions within 0–255")
        }
        self.init(validName: name, nodes: nodes)
    }

    /// The presets' nodes, valid by construction.
    private init(validName name: String, nodes: [Node]) {
        self.name = name
        var result: [(index: Int, rgb: UInt32)] = [(0, nodes[0].rgb)]
        if let first = nodes[0].index, first > 0 { result.append((first, nodes[0].rgb)) }
        var pending: [Node] = []
        let rest = Array(nodes.dropFirst())
        for (position, node) in rest.enumerated() {
            var index = node.index
            if index == nil {
                if position < rest.count - 1 {
                    pending.append(node)
                    continue
                }
                index = 255
            }
            if !pending.isEmpty {
                let start = Double(result[result.count - 1].index)
                for (step, between) in pending.enumerated() {
                    let alpha = Double(step + 1) / Double(pending.count + 1)
                    result.append((Int(start * (1 - alpha) + Double(index!) * alpha), between.rgb))
                }
                pending.removeAll()
            }
            result.append((index!, node.rgb))
        }
        result.append((256, result[result.count - 1].rgb))
        indices = result.map { Double($0.index) }
        colors = result.map { [Double($0.rgb >> 16 & 0xFF), Double($0.rgb >> 8 & 0xFF), Double($0.rgb & 0xFF)] }
    }

    /// The color (0–1 per channel) of a value in [0, 1], as Zennit's `ColorMap.__call__`.
    func color(at value: Double) -> [Double] {
        let x = min(max(value * 255, 0), 255)
        // searchsorted(indices[:-1], x, side="right")
        var upper = 0
        while upper < indices.count - 1 && indices[upper] <= x { upper += 1 }
        let alpha = (x - indices[upper - 1]) / (indices[upper] - indices[upper - 1])
        return (0..<3).map { (colors[upper - 1][$0] * (1 - alpha) + colors[upper][$0] * alpha) / 255 }
    }

    /// The 256-entry 8-bit palette, as Zennit's `ColorMap.palette(level)`.
    public func palette(level: Double = 1) -> [[UInt8]] {
        (0..<256).map { entry in
            let x = (entry == 255 ? 1 : -1 + Double(entry) * (2.0 / 255)) * level
            return color(at: min(max((x + 1) / 2, 0), 1)).map { channel in
                let scaled = (channel * 255 * 1e12).rounded() / 1e12   // numpy's round(12) before truncation
                return UInt8(min(max(scaled, 0), 255))
            }
        }
    }

    public static func == (lhs: ColorMap, rhs: ColorMap) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

extension ColorMap {
    public static let gray = ColorMap(validName: "gray", nodes: [.init(nil, 0x000000), .init(nil, 0xFFFFFF)])
    public static let wred = ColorMap(validName: "wred", nodes: [.init(nil, 0xFFFFFF), .init(nil, 0xFF0000)])
    public static let wblue = ColorMap(validName: "wblue", nodes: [.init(nil, 0xFFFFFF), .init(nil, 0x0000FF)])
    public static let hot = ColorMap(validName: "hot", nodes: [.init(nil, 0x000000), .init(nil, 0xFF0000), .init(nil, 0xFFFF00), .init(nil, 0xFFFFFF)])
    public static let cold = ColorMap(validName: "cold", nodes: [.init(nil, 0x000000), .init(nil, 0x0000FF), .init(nil, 0x00FFFF)])
    public static let coldnhot = ColorMap(validName: "coldnhot", nodes: [
        .init(nil, 0x00FFFF), .init(nil, 0x0000FF), .init(0x80, 0x000000), .init(nil, 0xFF0000), .init(nil, 0xFFFF00), .init(nil, 0xFFFFFF)])
    public static let bwr = ColorMap(validName: "bwr", nodes: [.init(nil, 0x0000FF), .init(0x80, 0xFFFFFF), .init(nil, 0xFF0000)])
    public static let france = ColorMap(validName: "france", nodes: [.init(nil, 0x0055A4), .init(0x80, 0xFFFFFF), .init(nil, 0xEF4135)])
    public static let seismic = ColorMap(validName: "seismic", nodes: [.init(nil, 0x0000D0), .init(0x80, 0xD0D0D0), .init(nil, 0xD00000)])
    public static let coolio = ColorMap(validName: "coolio", nodes: [.init(nil, 0x00D0D0), .init(0x80, 0xD0D0D0), .init(nil, 0xD000D0)])
    public static let coleus = ColorMap(validName: "coleus", nodes: [.init(nil, 0x00D000), .init(0x80, 0xD0D0D0), .init(nil, 0xD000D0)])

    /// Zennit's built-in color maps.
    public static let all: [ColorMap] = [.gray, .wred, .wblue, .hot, .cold, .coldnhot, .bwr, .france, .seismic, .coolio, .coleus]

    /// A built-in color map by name.
    /// - Throws: `LRPError` (`.parameter`) listing the names for an unknown one.
    public init(named name: String) throws {
        guard let map = ColorMap.all.first(where: { $0.name == name }) else {
            throw LRPError(.parameter, "unknown color map '\(name)' (one of \(ColorMap.all.map(\.name).joined(separator: ", ")))")
        }
        self = map
    }
}
