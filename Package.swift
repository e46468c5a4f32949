// swift-tools-version:6.2
import PackageDescription

// Layers, each arrow pointing down:
//   tapedeck (CLI)   ->  Conformance, Proxy, Recorder, CassetteImport, Drift, MockServer, HTMLReport, SessionTraces, Reports, Synthesis, Delivery, Cassette, ImageStreamSpec, SSEWire, CCurl, CLibXML2, ArgumentParser
//   TapedeckTesting  ->  Conformance, ImageStreamSpec, Reports (and Foundation for folders)
//   Conformance      ->  MockServer, Recorder (its progress-socket client), Delivery, Cassette, ImageStreamSpec, ImageFormats, ImageCodecs, SSEWire, Reports, SessionTraces, Crypto
//   Proxy            ->  MockServer, Recorder, Cassette, ImageStreamSpec
//   CassetteImport   ->  Cassette, SSEWire, CZlib, Yams, MultipartKit (NIOCore for its buffers) (and Foundation for files, JSON and base64)
//   Drift            ->  Cassette, ImageStreamSpec, ImageFormats, SSEWire (and Foundation for base64)
//   Recorder         ->  Cassette, SSEWire, CCurl, SwiftNIO (its WebSocket client, for progress sockets)
//   HTMLReport       ->  Reports, AtomicFiles, Mustache
//   SessionTraces    ->  Reports, Cassette, SSEWire, ImageFormats, ImageCodecs (and Foundation for JSON)
//   Reports          ->  AtomicFiles, CLibXML2 (and Foundation for JSON)
//   MockServer       ->  Cassette, Delivery, Synthesis, ImageStreamSpec, ImageCodecs, SSEWire, ProgressWire, SwiftNIO (NIOWebSocket too), MultipartKit
//   Synthesis        ->  ImageStreamSpec, ImageCodecs, ImageFormats, Cassette, SSEWire
//   Cassette         ->  SSEWire, AtomicFiles, Crypto
//   Delivery         ->  SSEWire, Reproducible, ImageStreamSpec (the live shape it is handed, as data)
//   ImageStreamSpec  ->  SSEWire, ProgressWire, ImageFormats, Yams (and Foundation for JSON and base64)
//   ImageCodecs      ->  CZlib, CPNG, CTurboJPEG, CWebP, Reproducible
//   ImageFormats     ->  CZlib
//   SSEWire          ->  the Swift standard library only
//   AtomicFiles      ->  the Swift standard library and the C library only
//   ProgressWire     ->  the Swift standard library only
//   Reproducible     ->  the Swift standard library only
// Tests/TapedeckCLITests/PackageLayersTests.swift reads every import and fails on an arrow not listed here.
let package = Package(
    name: "Tapedeck",
    products: [
        .executable(name: "tapedeck", targets: ["tapedeck"]),
        .library(name: "SSEWire", targets: ["SSEWire"]),
        .library(name: "ProgressWire", targets: ["ProgressWire"]),
        .library(name: "ImageFormats", targets: ["ImageFormats"]),
        .library(name: "ImageStreamSpec", targets: ["ImageStreamSpec"]),
        .library(name: "ImageCodecs", targets: ["ImageCodecs"]),
        .library(name: "Cassette", targets: ["Cassette"]),
        .library(name: "Delivery", targets: ["Delivery"]),
        .library(name: "Synthesis", targets: ["Synthesis"]),
        .library(name: "MockServer", targets: ["MockServer"]),
        .library(name: "Recorder", targets: ["Recorder"]),
        .library(name: "CassetteImport", targets: ["CassetteImport"]),
        .library(name: "Drift", targets: ["Drift"]),
        .library(name: "Proxy", targets: ["Proxy"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Conformance", targets: ["Conformance"]),
        .library(name: "SessionTraces", targets: ["SessionTraces"]),
        .library(name: "HTMLReport", targets: ["HTMLReport"]),
        .library(name: "TapedeckTesting", targets: ["TapedeckTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // The event-stream wire format: bytes in, events out, and back. No Foundation, no I/O.
        .target(name: "SSEWire"),

        // Engine.IO v4 and Socket.IO v4 packets: text in, packets out, and back. No I/O.
        .target(name: "ProgressWire"),

        // Whole files written atomically and durably (temporary file, fsync, rename): cassettes,
        // blobs, reports. The C library only.
        .target(name: "AtomicFiles"),

        // The one seeded generator: a seed names the same sequence everywhere, forever.
        .target(name: "Reproducible"),

        // Structural checks of PNG, JPEG and WebP payloads, without decoding pixels.
        .target(name: "ImageFormats", dependencies: ["CZlib"]),

        // The documented surfaces and dialects (loaded from Specs/) and the validator that
        // checks a request and its response against them. Knows nothing of sockets.
        .target(
            name: "ImageStreamSpec",
            dependencies: [
                "SSEWire",
                "ProgressWire",
                "ImageFormats",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // Real PNG (zlib), JPEG (libjpeg-turbo) and WebP (libwebp) images of any size, for
        // synthesized streams and slimmed cassettes; decoding (libpng, libjpeg-turbo, libwebp)
        // and thumbnails for reports.
        .target(name: "ImageCodecs", dependencies: ["CZlib", "CPNG", "CTurboJPEG", "CWebP", "Reproducible"]),

        // Cassettes: a recorded or synthesized exchange, byte for byte with chunk timing.
        .target(
            name: "Cassette",
            dependencies: ["SSEWire", "AtomicFiles", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // How a response is delivered: chunking, line endings, heartbeats, framing, faults.
        // Pure planning; the server carries the plan out.
        .target(name: "Delivery", dependencies: ["SSEWire", "Reproducible", "ImageStreamSpec"]),

        // Streams and bodies made from the spec for a request's parameters, and slimmed
        // cassettes (payloads replaced by small real images of the same format and size).
        .target(name: "Synthesis", dependencies: ["SSEWire", "ImageStreamSpec", "ImageCodecs", "ImageFormats", "Cassette"]),

        // The SwiftNIO HTTP/1.1 server behind `tapedeck serve`.
        .target(
            name: "MockServer",
            dependencies: [
                "Cassette", "Delivery", "Synthesis", "ImageStreamSpec", "ImageCodecs", "SSEWire", "ProgressWire",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),

        // Other tools' recordings (vcrpy and pytest-recording cassettes, HAR files) as cassettes.
        .target(
            name: "CassetteImport",
            dependencies: [
                "Cassette", "SSEWire", "CZlib",
                .product(name: "Yams", package: "Yams"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        // A cassette against a new recording of its request: the differences in the event
        // grammar, graded. Pure comparison; the CLI records.
        .target(name: "Drift", dependencies: ["Cassette", "ImageStreamSpec", "ImageFormats", "SSEWire"]),

        // Recording real sessions through libcurl: every chunk as it arrives, secrets redacted.
        // The progress socket beside it through SwiftNIO's WebSocket client.
        .target(
            name: "Recorder",
            dependencies: [
                "Cassette", "SSEWire", "CCurl",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),

        // The conformance runner: the suite, the client drivers (in-process reference client,
        // command mode, service mode), expectations derived from what was delivered, verdicts.
        .target(
            name: "Conformance",
            dependencies: [
                "MockServer", "Recorder", "Delivery", "Cassette", "ImageStreamSpec", "ImageFormats", "ImageCodecs", "SSEWire", "Reports", "SessionTraces",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // `tapedeck proxy`: the server's requests replayed from cassettes or forwarded upstream
        // through the recorder, streamed back as they arrive and recorded.
        .target(name: "Proxy", dependencies: ["MockServer", "Recorder", "Cassette", "ImageStreamSpec"]),

        // What a run found, as data, and the writers that turn it into JSON, JUnit XML and
        // the terminal summary. Knows nothing of servers or clients.
        .target(name: "Reports", dependencies: ["AtomicFiles", "CLibXML2"]),

        // A response body and its chunk times turned into the report's session trace: chunk
        // arrivals, events, and every image inspected and thumbnailed.
        .target(name: "SessionTraces", dependencies: ["Reports", "SSEWire", "ImageFormats", "ImageCodecs", "Cassette"]),

        // The self-contained HTML page of a run or of one recorded session.
        .target(name: "HTMLReport", dependencies: ["Reports", "AtomicFiles", .product(name: "Mustache", package: "swift-mustache")]),

        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),

        .systemLibrary(
            name: "CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]
        ),
        .systemLibrary(
            name: "CWebP",
            pkgConfig: "libwebp",
            providers: [.apt(["libwebp-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        .executableTarget(
            name: "tapedeck",
            dependencies: [
                "SSEWire",
                "ImageStreamSpec",
                "Cassette",
                "MockServer",
                "Recorder",
                "CassetteImport",
                "Drift",
                "Conformance",
                "SessionTraces",
                "HTMLReport",
                "Reports",
                "Proxy",
                "CCurl",
                "CLibXML2",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The suite in a Swift user's own tests: the server in process, a scenario per test,
        // the verdict by the CLIENT rules (Swift Testing and XCTest alike).
        .target(name: "TapedeckTesting", dependencies: ["Conformance", "ImageStreamSpec", "Reports"]),

        // Helpers the test targets share; not part of any product.
        .target(name: "TestKit", dependencies: ["Reproducible"], path: "Tests/TestKit"),

        .testTarget(
            name: "SSEWireTests",
            dependencies: [
                "SSEWire",
                "TestKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "ProgressWireTests", dependencies: ["ProgressWire"]),
        .testTarget(
            name: "ImageStreamSpecTests",
            dependencies: ["ImageStreamSpec", "SSEWire", "CZlib", "TestKit"]
        ),
        .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs", "ImageFormats", "TestKit"]),
        .testTarget(name: "CassetteTests", dependencies: ["Cassette", "SSEWire", "TestKit"]),
        .testTarget(name: "DriftTests", dependencies: ["Drift", "Cassette", "SSEWire", "ImageCodecs"]),
        .testTarget(name: "CassetteImportTests", dependencies: ["CassetteImport", "Cassette", "ImageStreamSpec", "SSEWire", "CZlib"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "SSEWire", "ImageStreamSpec", "TestKit", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "ImageStreamSpec", "ImageFormats", "Cassette", "SSEWire", "TestKit"]),
        .target(name: "ServerTestKit", dependencies: ["MockServer", "Delivery", "ImageStreamSpec"], path: "Tests/ServerTestKit"),
        .testTarget(name: "MockServerTests", dependencies: ["MockServer", "SSEWire", "ImageFormats", "ImageStreamSpec", "TestKit", "ServerTestKit", "Delivery", .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        .testTarget(name: "RecorderTests", dependencies: ["Recorder", "Proxy", "MockServer", "Delivery", "Cassette", "SSEWire", "TestKit", "ServerTestKit"]),
        // Clients/ holds the scripts the tests run as clients under test.
        .testTarget(name: "ConformanceTests", dependencies: ["Conformance", "MockServer", "Reports", "Cassette", "ImageStreamSpec", "SSEWire", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")], exclude: ["Clients"]),
        .testTarget(
            name: "ImageFormatsTests",
            dependencies: ["ImageFormats", "TestKit"]
        ),
        .testTarget(name: "HTMLReportTests", dependencies: ["HTMLReport", "SessionTraces", "Reports", "Cassette", "ImageCodecs", "TestKit"]),
        .testTarget(name: "SessionTracesTests", dependencies: ["SessionTraces", "Reports", "Cassette", "SSEWire", "ImageCodecs", "TestKit"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "CLibXML2"]),
        .testTarget(name: "TapedeckTestingTests", dependencies: ["TapedeckTesting", "SSEWire", "ImageFormats"]),
        .testTarget(
            name: "TapedeckCLITests",
            dependencies: ["tapedeck", "TestKit", .product(name: "Yams", package: "Yams")]
        ),
    ]
)
