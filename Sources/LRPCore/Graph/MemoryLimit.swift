/// How much memory a model may ask for. A file of a few hundred bytes can declare a gigabyte weight or a layer
/// with billions of outputs; the limit is checked against what the shapes imply *before* anything of that size
/// is allocated: the parameters when a model is imported, and the working memory of the samples that are
/// processed at once.
///
/// ```swift
/// let limit = try MemoryLimit(spec: "4G")
/// let model = try ONNXModel.load(url, memoryLimit: limit).model
/// let explainer = try Explainer(model: model, composite: .epsilonPlus, memoryLimit: limit)
/// ```
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit in bytes.
    public let bytes: Int

    /// 1 GiB: enough for the parameters and one sample of common ImageNet-sized CNNs (VGG-16 takes 0.6 GiB),
    /// and small enough that what it admits runs within a 4 GiB address space.
    public static let standard = MemoryLimit(validBytes: 1 << 30)

    private init(validBytes bytes: Int) { self.bytes = bytes }

    /// - Throws: `LRPError` (`.parameter`) unless `bytes` is positive.
    public init(bytes: Int) throws {
        guard bytes > 0 else { throw LRPError(.parameter, "memory limit: must be positive, got \(bytes) bytes") }
        self.bytes = bytes
    }

    /// Parses a size: a whole number of bytes, or a number with the binary unit `K`, `M`, `G` or `T`
    /// (`512M`, `1.5G`).
    /// - Throws: `LRPError` (`.parameter`) quoting the text if it is not such a size.
    public init(spec: String) throws {
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        let text = spec.uppercased()
        let unit = text.last.flatMap { units[$0] }
        guard let number = Double(unit == nil ? text : String(text.dropLast())), number.isFinite, number > 0,
              number * (unit ?? 1) < 0x1p62 else {
            throw LRPError(.parameter, "memory limit: '\(printable(spec))' is not a size such as 512M or 4G")
        }
        try self.init(bytes: Int(number * (unit ?? 1)))
    }

    public var description: String { MemoryLimit.format(bytes) }

    /// Bytes as `1.5 GiB`, `512 MiB`.
    static func format(_ bytes: Int) -> String {
        let value = Double(bytes)
        switch value {
        case 0x1p30...: return "\(rounded(value / 0x1p30)) GiB"
        case 0x1p20...: return "\(rounded(value / 0x1p20)) MiB"
        default: return "\(bytes) bytes"
        }
    }

    private static func rounded(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// The working memory of one sample: every value of the forward pass (the trace keeps them all for the
    /// backward walk) and four times the largest (the relevance arriving at and leaving a layer, and a
    /// rule's temporaries), in float32. Value shapes are bounded by ``Tensor/maximumElementCount``, so this
    /// cannot overflow.
    public static func bytesPerSample(of model: Model) -> Int {
        let counts = model.valueShapes.map { $0.dropFirst().reduce(1, *) }
        return 4 * (counts.reduce(0, +) + 4 * (counts.max() ?? 0))
    }

    /// How many samples fit the limit at once: at most `requested`, at least 1 (``check(_:source:)`` says
    /// whether one does).
    public func samplesAtOnce(for model: Model, requested: Int) -> Int {
        max(1, min(requested, bytes / max(1, MemoryLimit.bytesPerSample(of: model))))
    }

    /// - Throws: `LRPError` (`.memoryLimit`) naming `source` when the working memory of one sample exceeds the limit.
    public func check(_ model: Model, source: String) throws {
        let perSample = MemoryLimit.bytesPerSample(of: model)
        guard perSample <= bytes else {
            throw LRPError(.memoryLimit, "\(source): one sample needs \(MemoryLimit.format(perSample)) of working memory, more than the limit of \(self)")
        }
    }

    /// - Throws: `LRPError` (`.memoryLimit`) naming `source` and `largest` (the largest parameter, for the message)
    ///   when `count` float32 parameters exceed the limit.
    package func checkParameters(_ count: Int, source: String, largest: String) throws {
        let (size, overflow) = count.multipliedReportingOverflow(by: 4)
        guard !overflow, size <= bytes else {
            throw LRPError(.memoryLimit, "\(source): the parameters need \(overflow ? "more than 2^63 bytes" : MemoryLimit.format(size)), more than the limit of \(self); the largest is \(largest)")
        }
    }
}
