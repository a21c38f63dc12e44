import Foundation
import LRPCore
import LRPData
import LRPVisualization

/// SpRAy's first stage: the prepared (channel-summed, pooled, normalized) heatmaps of one class's inputs,
/// with their names. A sharded run writes one of these per shard (`heatmaps.npy` and `heatmaps.json`); the
/// shards' stages merge, in order, into the input of the clustering stage.
///
/// ```swift
/// var stage = SprayHeatmaps(model: "m.onnx", method: "gamma:0.25", targetClass: 3, pool: 2, height: 16, width: 16)
/// try stage.append(name: "cat.png", heatmap: try SpectralRelevanceAnalysis.prepare(relevance, sample: 0, pool: 2))
/// try stage.write(to: URL(fileURLWithPath: "shard-1"))
/// ```
public struct SprayHeatmaps: Sendable, Equatable {
    /// What the heatmaps are of; stages merge only when these agree.
    public struct Header: Codable, Sendable, Equatable {
        public let model: String
        public let method: String
        public let targetClass: Int
        public let pool: Int
        /// The pooled heatmaps' size.
        public let height: Int
        public let width: Int
        /// The inputs' names, one per heatmap.
        public var names: [String]
        /// Known groups of the inputs (to compare the clusters with), one per heatmap, if given.
        public var groups: [Int]?
        /// Which shard of the dataset the heatmaps are of (`nil`: all of it), for `lrp merge`.
        public var shard: ShardRecord?
    }

    public private(set) var header: Header
    /// One flattened `height × width` heatmap per input.
    public private(set) var heatmaps: [[Float]] = []

    /// - Parameters:
    ///   - model: the model file's name, recorded so that merged stages can be checked to match.
    ///   - method: the attribution method's specification.
    ///   - targetClass: the class whose heatmaps these are.
    ///   - pool: the sum-pooling factor applied to each heatmap.
    ///   - height: each pooled heatmap's height.
    ///   - width: each pooled heatmap's width.
    ///   - knownGroups: whether every input comes with a known group (see ``append(name:heatmap:group:)``).
    ///   - shard: the shard of the dataset the stage is of, if it is of one.
    public init(model: String, method: String, targetClass: Int, pool: Int, height: Int, width: Int, knownGroups: Bool = false,
                shard: ShardRecord? = nil) {
        header = Header(model: model, method: method, targetClass: targetClass, pool: pool, height: height, width: width,
                        names: [], groups: knownGroups ? [] : nil, shard: shard)
    }

    /// Adds one input's heatmap, with its group when the stage has known groups.
    /// - Throws: `LRPError` (`.parameter`) for a heatmap of another size than `height × width`, or a group
    ///   given to a stage without known groups or missing from one with them.
    public mutating func append(name: String, heatmap: [Float], group: Int? = nil) throws {
        guard heatmap.count == header.height * header.width else {
            throw LRPError(.parameter, "spray: the heatmap of \(name) has \(heatmap.count) values, not \(header.height)×\(header.width)")
        }
        guard (group != nil) == (header.groups != nil) else {
            throw LRPError(.parameter, "spray: \(name) " + (group == nil ? "has no known group" : "has a group, but the stage has none"))
        }
        if let group { header.groups?.append(group) }
        header.names.append(name)
        heatmaps.append(heatmap)
    }

    /// Joins stages of disjoint shards, in the given order; the result is of no shard.
    /// - Throws: `LRPError` (`.input`) for no stages or stages of other models, methods, classes or pooling.
    public static func merged(_ stages: [SprayHeatmaps]) throws -> SprayHeatmaps {
        guard var result = stages.first else { throw LRPError(.input, "spray: no heatmap stages to merge") }
        result.header.shard = nil
        for stage in stages.dropFirst() {
            var other = stage.header, mine = result.header
            (other.names, mine.names, other.groups, mine.groups, other.shard) = ([], [], nil, nil, nil)
            guard other == mine else {
                throw LRPError(.input, "spray: heatmaps of \(stage.header.method) for class \(stage.header.targetClass) (\(stage.header.model)) cannot be merged with those of \(result.header.method) for class \(result.header.targetClass) (\(result.header.model))")
            }
            guard (stage.header.groups == nil) == (result.header.groups == nil) else {
                throw LRPError(.input, "spray: some heatmap stages have known groups and some do not")
            }
            for (index, heatmap) in stage.heatmaps.enumerated() {
                try result.append(name: stage.header.names[index], heatmap: heatmap, group: stage.header.groups?[index])
            }
        }
        return result
    }

    /// Writes `heatmaps.npy` (`[N, height, width]` float32) and `heatmaps.json` into `folder`, both or neither.
    public func write(to folder: URL) throws {
        let staged = try StagedFolder(destination: folder)
        try staged.write(try JSONEncoder().encode(header), named: "heatmaps.json")
        try staged.write(try NPY.encode(Tensor(shape: [heatmaps.count, header.height, header.width], scalars: heatmaps.flatMap { $0 })),
                         named: "heatmaps.npy")
        try staged.commit()
    }

    /// Reads a stage written by ``write(to:)``.
    /// - Throws: `LRPError` (`.input`) naming the file when it is missing, malformed, or the two files disagree.
    public static func read(from folder: URL) throws -> SprayHeatmaps {
        let headerURL = folder.appendingPathComponent("heatmaps.json"), arrayURL = folder.appendingPathComponent("heatmaps.npy")
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: try FileAccess.read(headerURL))
        } catch let error as LRPError {
            throw error
        } catch {
            throw LRPError(.input, "\(headerURL.path): not an lrp spray heatmaps.json (\(error.localizedDescription))")
        }
        let array = try NPY.read(arrayURL)
        let size = header.height * header.width
        guard array.shape == [header.names.count, header.height, header.width], size > 0,
              header.groups.map({ $0.count == header.names.count }) ?? true else {
            throw LRPError(.input, "\(arrayURL.path): shape \(describe(array.shape)) does not match the \(header.names.count) heatmaps of \(header.height)×\(header.width) that heatmaps.json lists")
        }
        var stage = SprayHeatmaps(model: header.model, method: header.method, targetClass: header.targetClass,
                                  pool: header.pool, height: header.height, width: header.width, knownGroups: header.groups != nil,
                                  shard: header.shard)
        for (index, name) in header.names.enumerated() {
            try stage.append(name: name, heatmap: Array(array.scalars[index * size ..< (index + 1) * size]), group: header.groups?[index])
        }
        return stage
    }
}
