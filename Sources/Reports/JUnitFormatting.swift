import Foundation

/// Numbers and dates in the forms both bundled schemas accept.
enum JUnitFormatting {
    /// Seconds as a plain decimal with three places (`xs:decimal` takes no exponent, and
    /// Surefire's time pattern no sign): negative, infinite or NaN durations become 0.
    static func seconds(_ value: Double) -> String {
        let clean = value.isFinite && value > 0 ? value : 0
        return String(format: "%.3f", clean)
    }

    /// The run's start as `YYYY-MM-DDTHH:MM:SS` in UTC: the Ant schema allows no time zone and no
    /// fractions. A start time that cannot be read becomes the Unix epoch, so the report stays valid.
    static func timestamp(_ iso8601: String) -> String {
        let output = DateFormatter()
        output.locale = Locale(identifier: "en_US_POSIX")
        output.timeZone = TimeZone(identifier: "UTC")
        output.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return output.string(from: date(iso8601) ?? Date(timeIntervalSince1970: 0))
    }

    /// Reads ISO 8601 with or without fractional seconds; without a zone, UTC is assumed.
    static func date(_ iso8601: String) -> Date? {
        let withFractions = ISO8601DateFormatter()
        withFractions.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        for formatter in [plain, withFractions] {
            if let date = formatter.date(from: iso8601) { return date }
            if let date = formatter.date(from: iso8601 + "Z") { return date }
        }
        return nil
    }

    /// This machine's name, or `localhost` when it has none (the Ant schema requires one).
    static var hostname: String {
        var bytes = [CChar](repeating: 0, count: 256)
        guard gethostname(&bytes, bytes.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.trimmingCharacters(in: .whitespaces).isEmpty ? "localhost" : name
    }
}
