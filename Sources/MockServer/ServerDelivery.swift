import Delivery
import ImageStreamSpec
import Synthesis

extension FullSizeImages: FullSizeImageSource {}

/// Plans a response exactly as `tapedeck serve` does: the live shape of the surface (and
/// dialect) from Specs/, and the shared source of full-size images. The runner plans with it
/// too, so what it expects is what the server sent.
public enum ServerDelivery {
    public static func plan(
        body: [UInt8],
        isEventStream: Bool,
        surface: String,
        dialect: String,
        recordedChunks: [(length: Int, at: Duration)]?,
        scenario: Scenario,
        catalog: SpecCatalog
    ) -> DeliveryPlan {
        DeliveryPlanner.plan(
            body: body, isEventStream: isEventStream, surface: surface, recordedChunks: recordedChunks, scenario: scenario,
            liveShape: scenario.shape == .live ? liveShape(surface: surface, dialect: dialect, catalog: catalog) : nil,
            images: FullSizeImages.shared
        )
    }

    /// The live shape of `surface` under `dialect` (or under the default dialect, when that one
    /// does not cover the surface); nil when the live API sends the documented shape.
    public static func liveShape(surface: String, dialect: String, catalog: SpecCatalog) -> LiveShapeSpec? {
        let spec = (try? catalog.resolve(surface: surface, dialect: dialect)) ?? (try? catalog.resolve(surface: surface))
        return spec?.liveShape
    }
}
