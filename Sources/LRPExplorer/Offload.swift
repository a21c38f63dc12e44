import Dispatch

/// Runs CPU-bound work on a Dispatch worker thread, so that it blocks neither the server's event loops nor
/// Swift's cooperative thread pool, and suspends the caller until it is done.
func offload<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
