/// Whether traces carry thumbnails, how big, and how many bytes of them in all.
public enum ThumbnailPolicy: Hashable, Sendable {
    /// No thumbnails: the filmstrip shows each image's facts only.
    case none
    /// PNG thumbnails at most `maxSide` pixels a side, until their `data:` URLs add up to
    /// `byteBudget` bytes; the images after that have none.
    case scaled(maxSide: Int, byteBudget: Int)

    /// 160 pixels a side, 4 MB of thumbnails.
    public static let standard = ThumbnailPolicy.scaled(maxSide: 160, byteBudget: 4 << 20)
}
