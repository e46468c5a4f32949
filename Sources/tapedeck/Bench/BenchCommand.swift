import ArgumentParser
import SSEWire

#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the event-stream parser: throughput, and bytes examined per input byte.",
        discussion: """
        Runs the parser in this process on three workloads: (a) one event whose data is \
        --data-mib MiB of base64 (a 4K PNG is 20–30 MB), fed in 64 KiB chunks; (b) the same, \
        fed one byte at a time; (c) --small-events small JSON events. Then it feeds one byte \
        at a time at growing sizes to show the cost per byte does not grow with the event.

        Besides the clock, it reports bytes examined per input byte: the parser reads each byte \
        once to find line ends and once more to decode the event's text, so the figure stays \
        at or below 2 however the input is split.

        Build in release mode for meaningful figures: swift build -c release. To compare with \
        other parsers on the same files, see scripts/bench, which writes the inputs with \
        --write-inputs and runs the peers.
        """
    )

    @Option(help: "Size of the single large event's data, in MiB.")
    var dataMib = 24

    @Option(help: "How many small events workload (c) has.")
    var smallEvents = 10_000

    @Option(help: "Runs per workload; the median is reported.")
    var repetitions = 5

    @Option(help: "Event sizes in MiB for the one-byte-at-a-time scaling check, comma-separated.")
    var scalingMib = "4,16,64"

    @Option(help: "Which workloads to run, comma-separated: a, b, c, scaling.")
    var workloads = "a,b,c,scaling"

    @Option(help: ArgumentHelp("Also write the workloads' input files to this folder.", valueName: "folder"))
    var writeInputs: String?

    func validate() throws {
        guard dataMib > 0, smallEvents > 0, repetitions > 0 else {
            throw ValidationError("--data-mib, --small-events and --repetitions must be at least 1.")
        }
        guard selectedWorkloads.isSubset(of: ["a", "b", "c", "scaling"]), !selectedWorkloads.isEmpty else {
            throw ValidationError("--workloads takes a comma-separated list of a, b, c and scaling.")
        }
        guard scalingSizes != nil else { throw ValidationError("--scaling-mib takes sizes in MiB such as 4,16,64.") }
    }

    private var selectedWorkloads: Set<String> {
        Set(workloads.split(separator: ",").map { String($0) })
    }

    private var scalingSizes: [Int]? {
        let sizes = scalingMib.split(separator: ",").map { Int($0.trimmingPrefix(" ")) }
        guard sizes.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return sizes.compactMap { $0 }
    }

    func run() throws {
        let large = BenchWorkload.singleLargeEvent(dataBytes: dataMib << 20, chunkSize: 64 << 10, name: "(a) one \(dataMib) MiB event, 64 KiB chunks")
        let largeByBytes = BenchWorkload(name: "(b) the same, 1 byte at a time", fileName: large.fileName, bytes: large.bytes, chunkSize: 1, expectedEvents: 1)
        let small = BenchWorkload.smallEvents(count: smallEvents, chunkSize: 64 << 10)
        if let writeInputs {
            try write([large, small], to: writeInputs)
        }

        print("tapedeck bench: SSE parser, median of \(repetitions) runs, in this process")
        let table = BenchTable(headers: ["workload", "bytes", "median", "MB/s", "examined/byte"])
        var results: [String: BenchResult] = [:]
        for (key, workload) in [("a", large), ("b", largeByBytes), ("c", small)] where selectedWorkloads.contains(key) {
            let cold = try measure(workload)
            let warm = try measure(workload, warm: true)
            results[key] = cold
            table.printRow([workload.name + ", new parser", "\(workload.bytes.count)", cold.formattedTime, cold.formattedThroughput, cold.formattedExamined])
            table.printRow([workload.name + ", reused", "\(workload.bytes.count)", warm.formattedTime, warm.formattedThroughput, warm.formattedExamined])
        }
        if let a = results["a"], let b = results["b"] {
            print("(b) costs \(BenchResult.format(b.nanosecondsPerByte / a.nanosecondsPerByte, decimals: 1))× (a) per byte")
        }
        guard selectedWorkloads.contains("scaling") else { return }

        print("\nscaling, 1 byte at a time (cost per byte must not grow with the event):")
        let scaling = BenchTable(headers: ["event size", "median", "ns/byte", "examined/byte"])
        for mebibytes in scalingSizes ?? [] {
            let workload = BenchWorkload.singleLargeEvent(dataBytes: mebibytes << 20, chunkSize: 1, name: "\(mebibytes) MiB")
            let result = try measure(workload, repetitions: 1)
            scaling.printRow([workload.name, result.formattedTime, BenchResult.format(result.nanosecondsPerByte, decimals: 2), result.formattedExamined])
        }
    }

    /// Times `workload`. Cold: a new parser per run, paying for fresh memory as a new stream
    /// does. Warm: one parser reused across runs (after one unmeasured run), as a server or a
    /// fuzz suite parsing stream after stream does.
    private func measure(_ workload: BenchWorkload, repetitions: Int? = nil, warm: Bool = false) throws -> BenchResult {
        var durations: [Duration] = []
        var examined = 0
        var reused = SSEParser()
        let runs = repetitions ?? self.repetitions
        for run in 0..<(warm ? runs + 1 : runs) {
            var parser = warm ? reused : SSEParser()
            var events = 0
            var dataBytes = 0
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                workload.bytes.withUnsafeBufferPointer { buffer in
                    var start = 0
                    while start < buffer.count {
                        let end = min(start + workload.chunkSize, buffer.count)
                        parser.feed(UnsafeBufferPointer(rebasing: buffer[start..<end])) { event in
                            events += 1
                            dataBytes &+= event.data.utf8.count
                        }
                        start = end
                    }
                }
            }
            examined = parser.bytesExamined
            guard events == workload.expectedEvents, parser.finish() == .clean, dataBytes > 0 else {
                throw BenchFailure(message: "\(workload.name): parsed \(events) events, expected \(workload.expectedEvents)")
            }
            if warm {
                reused = parser
                if run == 0 { continue }
            }
            durations.append(elapsed)
        }
        durations.sort()
        return BenchResult(bytes: workload.bytes.count, median: durations[durations.count / 2], bytesExamined: examined)
    }

    private func write(_ workloads: [BenchWorkload], to folder: String) throws {
        mkdir(folder, 0o755)
        for workload in workloads {
            let path = folder + "/" + workload.fileName
            guard let file = fopen(path, "wb") else {
                throw BenchFailure(message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            defer { fclose(file) }
            let written = workload.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            guard written == workload.bytes.count else {
                throw BenchFailure(message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            print("wrote \(path)")
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

struct BenchResult {
    let bytes: Int
    let median: Duration
    let bytesExamined: Int

    var seconds: Double {
        Double(median.components.seconds) + Double(median.components.attoseconds) / 1e18
    }
    var nanosecondsPerByte: Double { seconds * 1e9 / Double(bytes) }
    var formattedTime: String { Self.format(seconds * 1000, decimals: 2) + " ms" }
    var formattedThroughput: String { Self.format(Double(bytes) / seconds / 1e6, decimals: 0) }
    var formattedExamined: String { Self.format(Double(bytesExamined) / Double(bytes), decimals: 3) }

    static func format(_ value: Double, decimals: Int) -> String {
        var scaled = (value * pow(10, Double(decimals))).rounded()
        let negative = scaled < 0
        scaled = abs(scaled)
        var digits = String(Int(scaled))
        if decimals > 0 {
            while digits.count <= decimals { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (negative ? "-" : "") + digits
    }
}

/// A plain-text table with columns padded to fit, readable in a terminal and in CI logs.
struct BenchTable {
    let headers: [String]
    let widths: [Int]

    init(headers: [String]) {
        self.headers = headers
        self.widths = headers.enumerated().map { index, header in max(header.count, index == 0 ? 52 : 12) }
        printRow(headers)
    }

    func printRow(_ cells: [String]) {
        let padded = cells.enumerated().map { index, cell in
            index == 0 ? cell.padding(to: widths[index]) : cell.leftPadding(to: widths[index])
        }
        print(padded.joined(separator: "  "))
    }
}

private extension String {
    func padding(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    func leftPadding(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
