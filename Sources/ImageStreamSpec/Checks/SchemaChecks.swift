/// The documented fields of every event and of the JSON body.
enum SchemaChecks {
    static let all: [Check] = [
        Check("schema-required") { walk($0, .required) },
        Check("schema-type") { walk($0, .type) },
        Check("schema-enum") { walk($0, .allowedValues) },
        Check("schema-range") { walk($0, .range) },
    ]

    private static func walk(_ context: CheckContext, _ aspect: SchemaWalker.Aspect) -> [Violation] {
        var violations: [Violation] = []
        for event in context.trace.jsonEvents {
            guard let type = event.type, let schema = context.spec.events[type], let json = event.json else { continue }
            var walker = SchemaWalker(aspect: aspect, location: .event(index: event.index))
            walker.walk(json, fields: schema.fields, path: "")
            violations += walker.violations
        }
        if let body = context.imagesBody {
            var walker = SchemaWalker(aspect: aspect, location: .body)
            walker.walk(body, fields: context.spec.body, path: "")
            violations += walker.violations
        }
        return violations
    }
}
