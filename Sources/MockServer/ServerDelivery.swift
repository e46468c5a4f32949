import Delivery
import ImageStreamSpec
import Synthesis

extension FullSizeImages: FullSizeImageSource {}

/// Plans a response exactly as `tapedeck serve` does: image URLs pointing at the server (see
/// ``ServedImages``), the live shape of the surface (and dialect) from Specs/, and the shared
/// source of full-size images. The runner plans with it too, so what it expects is what the
/// server sent.
public enum ServerDelivery {
    /// - Parameter imageBase: the server's address, for the URLs of served images; nil keeps
    ///   the placeholder (a cassette being made).
    public static func plan(
        body: [UInt8],
        isEventStream: Bool,
        surface: String,
        dialect: String,
        recordedChunks: [(length: Int, at: Duration)]?,
        scenario: Scenario,
        catalog: SpecCatalog,
        imageBase: String?
    ) -> DeliveryPlan {
        var (body, chunks) = (body, recordedChunks)
        if let imageBase { (body, chunks) = ServedImages.rewrite(body, chunks: chunks, base: imageBase, scenario: scenario) }
        return DeliveryPlanner.plan(
            body: body, isEventStream: isEventStream, surface: surface, recordedChunks: chunks, scenario: scenario,
            liveShape: scenario.shape == .live ? liveShape(surface: surface, dialect: dialect, catalog: catalog) : nil,
            images: FullSizeImages.shared
        )
    }

    /// The scenario a response of `dialect` is delivered in: a dialect whose server streams as
    /// the live API does (`synthesized_shape: live`) sends what Tapedeck makes for it that way.
    public static func scenario(_ scenario: Scenario, synthesizedFor spec: ResolvedSpec) -> Scenario {
        var scenario = scenario
        if spec.settings.synthesizedShape == ResponseShape.live.rawValue { scenario.shape = .live }
        return scenario
    }

    /// The live shape of `surface` under `dialect` (or under the default dialect, when that one
    /// does not cover the surface); nil when the live API sends the documented shape.
    public static func liveShape(surface: String, dialect: String, catalog: SpecCatalog) -> LiveShapeSpec? {
        let spec = (try? catalog.resolve(surface: surface, dialect: dialect)) ?? (try? catalog.resolve(surface: surface))
        return spec?.liveShape
    }
}
