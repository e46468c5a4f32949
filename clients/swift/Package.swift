// swift-tools-version:6.1
import PackageDescription

// A client adapter for `tapedeck run` (docs/client-contract.md): what a Swift user of an
// OpenAPI-generated client runs. The request goes through swift-openapi-async-http-client's
// transport (async-http-client beneath), and the stream is read with swift-openapi-runtime's
// server-sent-events decoding. A package of its own, so Tapedeck's build does not pay for it.
let package = Package(
    name: "TapedeckSwiftClient",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .executableTarget(
            name: "tapedeck-swift-client",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ]
)
