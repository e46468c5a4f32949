/// Walks a JSON value along its documented fields and reports one aspect of the schema.
struct SchemaWalker {
    enum Aspect { case required, type, allowedValues, range }

    let aspect: Aspect
    let location: Finding.Location
    /// Turns a value into the schema's type first (form fields travel as strings).
    var coerce: (JSONValue, FieldSchema.ValueType) -> JSONValue = { value, _ in value }
    var violations: [Violation] = []

    init(aspect: Aspect, location: Finding.Location) {
        self.aspect = aspect
        self.location = location
    }

    mutating func walk(_ value: JSONValue, fields: [String: FieldSchema], path: String) {
        guard let object = value.object else { return }
        for (name, schema) in fields.sorted(by: { $0.key < $1.key }) {
            let fieldPath = path.isEmpty ? name : "\(path).\(name)"
            guard let field = object[name] else {
                if aspect == .required, schema.required {
                    violations.append(Violation(location, "missing required field \(fieldPath)", expected: "\(fieldPath) (\(schema.type.rawValue))", actual: "absent"))
                }
                continue
            }
            check(field, schema: schema, path: fieldPath)
        }
    }

    private mutating func check(_ raw: JSONValue, schema: FieldSchema, path: String) {
        if raw == .null {
            if aspect == .type, !schema.nullable, schema.type != .any {
                violations.append(Violation(location, "\(path) is null, which it may not be", expected: schema.type.rawValue, actual: "null"))
            }
            return
        }
        let value = coerce(raw, schema.type)
        guard Self.matches(value, schema.type) else {
            if aspect == .type {
                violations.append(Violation(location, "\(path) is \(article(value.typeName)) \(value.typeName), not \(article(schema.type.rawValue)) \(schema.type.rawValue)", expected: schema.type.rawValue, actual: value.typeName))
            }
            return
        }
        switch aspect {
        case .allowedValues:
            if let allowed = schema.allowedValues, let text = value.string, !allowed.contains(text),
               !(schema.acceptsDimensions && ImageSize(text) != nil) {
                let also = schema.acceptsDimensions ? " or WIDTHxHEIGHT" : ""
                violations.append(Violation(location, "\(path) is \(String(reflecting: text)), not a documented value", expected: allowed.joined(separator: ", ") + also, actual: text))
            }
        case .range:
            checkRange(value, schema: schema, path: path)
        case .required, .type:
            break
        }
        if !schema.fields.isEmpty, value.object != nil {
            walk(value, fields: schema.fields, path: path)
        }
        if let items = schema.items?.value, let elements = value.array {
            for (index, element) in elements.enumerated() {
                check(element, schema: items, path: "\(path)[\(index)]")
            }
        }
    }

    private mutating func checkRange(_ value: JSONValue, schema: FieldSchema, path: String) {
        if let number = value.number {
            if let minimum = schema.minimum, number < minimum {
                violations.append(Violation(location, "\(path) is \(format(number)), below its minimum \(format(minimum))", expected: "≥ \(format(minimum))", actual: format(number)))
            }
            if let maximum = schema.maximum, number > maximum {
                violations.append(Violation(location, "\(path) is \(format(number)), above its maximum \(format(maximum))", expected: "≤ \(format(maximum))", actual: format(number)))
            }
        }
        if let text = value.string {
            let length = text.unicodeScalars.count
            if let minimum = schema.minimumLength, length < minimum {
                violations.append(Violation(location, "\(path) has \(length) characters, fewer than \(minimum)", expected: "≥ \(minimum) characters", actual: "\(length)"))
            }
            if let maximum = schema.maximumLength, length > maximum {
                violations.append(Violation(location, "\(path) has \(length) characters, more than \(maximum)", expected: "≤ \(maximum) characters", actual: "\(length)"))
            }
        }
    }

    static func matches(_ value: JSONValue, _ type: FieldSchema.ValueType) -> Bool {
        switch (type, value) {
        case (.any, _), (.string, .string), (.boolean, .bool), (.object, .object), (.array, .array), (.integer, .integer), (.number, .integer), (.number, .number):
            true
        case (.integer, .number(let number)):
            number.rounded() == number
        default:
            false
        }
    }

    private func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    private func article(_ word: String) -> String {
        ["a", "e", "i", "o", "u"].contains(word.first.map(String.init) ?? "") ? "an" : "a"
    }
}
