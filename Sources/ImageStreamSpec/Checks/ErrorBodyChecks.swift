/// The JSON error body an API answers with before any stream byte.
enum ErrorBodyChecks {
    static let all: [Check] = [
        Check("error-body-shape") { context in
            guard let body = context.errorBody, let error = body["error"] else { return [] }
            guard let fields = error.object else {
                return [Violation(.body, "error is \(error.typeName), not an object with message, type, param and code", expected: "object", actual: error.typeName)]
            }
            var violations: [Violation] = []
            for name in ["message", "type"] where fields[name]?.string == nil {
                violations.append(Violation(.body, "error.\(name) is \(fields[name].map(\.typeName) ?? "missing"); it must be a string", expected: "string", actual: fields[name]?.typeName ?? "absent"))
            }
            for name in ["param", "code"] {
                guard let value = fields[name] else {
                    violations.append(Violation(.body, "error.\(name) is missing; it must be present, as a string or null", expected: "string or null", actual: "absent"))
                    continue
                }
                if value != .null, value.string == nil {
                    violations.append(Violation(.body, "error.\(name) is \(value.typeName); it must be a string or null", expected: "string or null", actual: value.typeName))
                }
            }
            return violations
        },
    ]
}
