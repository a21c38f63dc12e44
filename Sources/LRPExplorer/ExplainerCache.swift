import LRP

/// The explainers of the composites used most recently, one per composite, so that moving a slider back
/// and forth or comparing two configurations does not prepare the same explainer twice. Requests for a
/// composite whose explainer is being built wait for that build.
actor ExplainerCache {
    private let capacity: Int
    private var builds: [Composite: Task<Explainer, any Error>] = [:]
    /// Least recently used first.
    private var order: [Composite] = []

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// How many explainers are kept or being built.
    var count: Int { builds.count }

    /// The explainer of `composite`, built by `build` (off the caller's executor) when it is not kept.
    func explainer(for composite: Composite, build: @escaping @Sendable () throws -> Explainer) async throws -> Explainer {
        order.removeAll { $0 == composite }
        order.append(composite)
        let task: Task<Explainer, any Error>
        if let kept = builds[composite] {
            task = kept
        } else {
            task = Task { try await offload(build) }
            builds[composite] = task
            while order.count > capacity { builds[order.removeFirst()] = nil }
        }
        do {
            return try await task.value
        } catch {
            // a composite that does not fit the model is not kept
            if builds[composite] == task {
                builds[composite] = nil
                order.removeAll { $0 == composite }
            }
            throw error
        }
    }
}
