// The whole library in one import: the core and its companions, as swift-numerics' `Numerics` re-exports
// its modules. A package that needs only the engine depends on the `LRPCore` product instead.
@_exported import LRPCore
@_exported import LRPData
@_exported import LRPEvaluation
@_exported import LRPONNX
@_exported import LRPVisualization
