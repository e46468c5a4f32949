/// Structural inspection of PNG, JPEG and WebP bytes: headers, chunk and segment framing,
/// checksums, end markers. Pixels are never decoded; memory stays bounded (PNG image data is
/// inflated through one fixed-size buffer); no input makes it trap.
public enum ImageInspector {
    /// Inspects `bytes` with the default options.
    public static func inspect(_ bytes: UnsafeRawBufferPointer) -> ImageInspection {
        inspect(bytes, options: InspectionOptions())
    }

    /// Inspects any byte collection; contiguous ones are read in place, others copied once.
    public static func inspect(_ bytes: some Collection<UInt8>, options: InspectionOptions = InspectionOptions()) -> ImageInspection {
        if let result = bytes.withContiguousStorageIfAvailable({ inspect(UnsafeRawBufferPointer($0), options: options) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { inspect($0, options: options) }
    }

    public static func inspect(_ bytes: UnsafeRawBufferPointer, options: InspectionOptions) -> ImageInspection {
        var problems = ProblemList(limit: options.maxProblems)
        let view = ByteView(bytes)
        guard view.count > 0 else {
            problems.add(.empty)
            return ImageInspection(problems: problems.items)
        }
        var result = ImageInspection()
        switch ImageFormat.detect(bytes) {
        case .png:
            result.format = .png
            PNGInspector(view: view, options: options).run(into: &result, problems: &problems)
        case .jpeg:
            result.format = .jpeg
            JPEGInspector(view: view).run(into: &result, problems: &problems)
        case .webp:
            result.format = .webp
            WebPInspector(view: view).run(into: &result, problems: &problems)
        case nil:
            problems.add(.unknownFormat(firstBytes: view.bytes(0, 16)))
        }
        result.problems = problems.items
        return result
    }
}
