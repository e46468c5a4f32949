@_exported import Reproducible

/// The tests' seeded generator: the project's SplitMix64, so every randomized test input is
/// reproducible and a failure replays exactly.
public typealias SeededRandom = SplitMix64
