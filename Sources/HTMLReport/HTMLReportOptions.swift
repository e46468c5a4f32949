/// Limits that keep a page quick to open whatever the run's size.
public struct HTMLReportOptions: Hashable, Sendable {
    /// The page's size limit in bytes. Thumbnails fill what the rest of the page leaves;
    /// those that do not fit are left out, and the page says how many.
    public var maxPageBytes: Int
    /// Scenarios that did not pass shown in full; the rest are listed in the table only.
    public var maxDetailedScenarios: Int
    /// Passing scenarios with a trace shown collapsed, for comparison.
    public var maxPassingDetails: Int
    /// Passing scenarios listed in the scenario table (every other one is listed).
    public var maxListedScenarios: Int
    /// Characters of a wire excerpt or client log shown.
    public var maxExcerptCharacters: Int
    /// Findings shown per scenario; the page says how many more its reproduction lists.
    public var maxViolationsPerScenario: Int

    public init(
        maxPageBytes: Int = 20 << 20,
        maxDetailedScenarios: Int = 500,
        maxPassingDetails: Int = 20,
        maxListedScenarios: Int = 5_000,
        maxExcerptCharacters: Int = 16_384,
        maxViolationsPerScenario: Int = 100
    ) {
        self.maxPageBytes = maxPageBytes
        self.maxDetailedScenarios = maxDetailedScenarios
        self.maxPassingDetails = maxPassingDetails
        self.maxListedScenarios = maxListedScenarios
        self.maxExcerptCharacters = maxExcerptCharacters
        self.maxViolationsPerScenario = maxViolationsPerScenario
    }
}
