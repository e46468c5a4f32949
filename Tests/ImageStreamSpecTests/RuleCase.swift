import Foundation
import ImageStreamSpec
import Testing

/// One example for one rule: a request and a response, and whether the rule must find something.
/// The JSON objects it holds are never mutated after construction.
struct RuleCase: CustomTestStringConvertible, @unchecked Sendable {
    enum Response {
        case events([Fixtures.Object], eventLines: Bool = true, done: Bool = false)
        case bytes([UInt8])
        case body(Fixtures.Object)
    }

    let rule: String
    let name: String
    /// True for a violating example: the rule must report it. False for a conformant one.
    let violates: Bool
    let surface: String
    let dialect: String
    let request: Fixtures.Object?
    /// The request came as a multipart form, whose fields are strings standing for numbers.
    var requestIsForm = false
    let response: Response
    /// The progress socket recorded beside the exchange (PROGRESS rules).
    var progress: ProgressRecording? = nil

    var responseIsEmpty: Bool {
        if case .bytes(let bytes) = response { return bytes.isEmpty }
        return false
    }

    var testDescription: String { "\(rule) \(violates ? "violated" : "conformant"): \(name) [\(surface), \(dialect)]" }

    func run() throws -> ValidationReport {
        let spec = try Fixtures.catalog().resolve(surface: surface, dialect: dialect)
        let validated: ValidationInput.Response = switch response {
        case .events(let events, let eventLines, let done): .stream(Fixtures.stream(events, eventLines: eventLines, done: done))
        case .bytes(let bytes): .stream(bytes)
        case .body(let body): .body(Array(Fixtures.json(body).utf8))
        }
        return Validator(spec: spec).validate(ValidationInput(request: request.map(Fixtures.jsonValue), requestIsForm: requestIsForm, response: validated, progress: progress))
    }
}

/// Shorthands for writing the tables.
extension RuleCase {
    static func violated(_ rule: String, _ name: String, surface: String, dialect: String = "openai", request: Fixtures.Object?, _ response: Response) -> RuleCase {
        RuleCase(rule: rule, name: name, violates: true, surface: surface, dialect: dialect, request: request, response: response)
    }

    static func conformant(_ rule: String, _ name: String, surface: String, dialect: String = "openai", request: Fixtures.Object?, _ response: Response) -> RuleCase {
        RuleCase(rule: rule, name: name, violates: false, surface: surface, dialect: dialect, request: request, response: response)
    }
}

extension Array where Element == Fixtures.Object {
    /// A copy with event `index` changed.
    func editing(_ index: Int, _ change: (inout Fixtures.Object) -> Void) -> [Fixtures.Object] {
        var copy = self
        let position = index < 0 ? count + index : index
        change(&copy[position])
        return copy
    }
}
