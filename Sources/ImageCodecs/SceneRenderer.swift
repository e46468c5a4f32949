import Reproducible

/// Draws a `Picture` row by row, fast even in a debug build: everything in a row is a
/// background colour plus horizontal spans of constant colour (one per shape crossing the row),
/// so a row costs a few span fills (each a handful of doubling copies) whatever its width.
/// Colours are integers; shape geometry is computed once per row in `Double`.
struct SceneRenderer {
    let width: Int
    let height: Int
    let channels: Int
    let block: Int
    /// The fully transparent frame, in pixels (0 without alpha).
    let border: Int
    /// Every pixel's colour, for a flat picture.
    let flatColour: Colour?
    /// The noise seed, for a noise picture.
    let noiseSeed: UInt64?
    private let horizon: Int
    private let skyTop: Colour
    private let skyHorizon: Colour
    private let groundFar: Colour
    private let groundNear: Colour
    private let shapes: [Shape]

    init(_ picture: Picture) {
        width = picture.width
        height = picture.height
        channels = picture.channels
        block = picture.blockSize
        var random = SplitMix64(seed: picture.seed)
        let palette = Palette.pick(&random)

        noiseSeed = picture.content == .noise ? picture.seed : nil
        if picture.content != .scene {
            let grey = picture.seed == 0 ? Colour(128, 128, 128) : palette.skyHorizon.jittered(&random, by: 40)
            flatColour = picture.content == .flat ? grey.withAlpha(picture.hasAlpha ? 128 : 255) : nil
            border = 0
            horizon = height
            (skyTop, skyHorizon, groundFar, groundNear) = (grey, grey, grey, grey)
            shapes = []
            return
        }
        flatColour = nil
        border = picture.hasAlpha ? max(1, min(width, height) / 32) : 0

        let w = Double(width), h = Double(height), m = min(w, h)
        let horizonY = h * random.between(0.55, 0.68)
        horizon = Int(horizonY)
        let below = h - horizonY
        let alpha = picture.hasAlpha
        let skyTop = palette.skyTop.jittered(&random).withAlpha(alpha ? 0 : 255)
        let skyHorizon = palette.skyHorizon.jittered(&random).withAlpha(alpha ? 230 : 255)
        let horizon = self.horizon
        (self.skyTop, self.skyHorizon) = (skyTop, skyHorizon)
        groundFar = palette.groundFar.jittered(&random)
        groundNear = palette.groundNear.jittered(&random)

        var list: [Shape] = []
        func skyColour(at y: Double) -> Colour {
            skyTop.mixed(with: skyHorizon, Int(max(0, min(y, horizonY))), max(1, horizon))
        }

        // Stars at night.
        if palette.hasStars {
            let size = max(1, m / 300)
            let starColour = Colour(250, 250, 235)
            for _ in 0..<(12 + random.below(20)) {
                let x = random.between(0, w), y = random.between(0, horizonY * 0.8)
                list.append(Shape(.rect(x0: x, y0: y, x1: x + size, y1: y + size), starColour, starColour))
            }
        }

        // The sun or moon, with a translucent halo.
        let sunX = w * random.between(0.15, 0.85), sunY = horizonY * random.between(0.25, 0.7)
        let sunR = max(0.75, m * random.between(0.05, 0.1))
        let sun = palette.sun.jittered(&random, by: 10)
        let halo = sun.mixed(with: skyColour(at: sunY), 1, 2).withAlpha(alpha ? 140 : 255)
        list.append(Shape(.ellipse(cx: sunX, cy: sunY, rx: sunR * 1.6, ry: sunR * 1.6), halo, halo))
        list.append(Shape(.ellipse(cx: sunX, cy: sunY, rx: sunR, ry: sunR), sun, sun.mixed(with: palette.skyHorizon, 1, 4)))

        // Clouds: clusters of three ellipses.
        for _ in 0..<(2 + random.below(3)) {
            let cx = random.between(0, w), cy = horizonY * random.between(0.1, 0.6)
            let cw = w * random.between(0.06, 0.14), ch = max(cw * 0.35, 0.5)
            let light = palette.cloud.jittered(&random, by: 10).withAlpha(alpha ? 220 : 255)
            let dark = light.mixed(with: palette.skyTop, 1, 4).withAlpha(light.a)
            for (dx, dy, rx, ry) in [(-0.6, 0.0, 0.6, 0.8), (0.0, -0.4, 0.7, 1.1), (0.6, 0.0, 0.55, 0.75)] {
                list.append(Shape(.ellipse(cx: cx + dx * cw, cy: cy + dy * ch, rx: rx * cw, ry: ry * ch), light, dark))
            }
        }

        // Far mountains: triangles standing on the horizon.
        for _ in 0..<(3 + random.below(3)) {
            let peakY = horizonY - h * random.between(0.12, 0.3)
            let top = palette.mountain.jittered(&random, by: 12)
            let foot = top.mixed(with: skyHorizon, 1, 3).withAlpha(255)
            list.append(Shape(
                .triangle(apexX: w * random.between(-0.1, 1.1), apexY: peakY, baseY: horizonY + 1, halfBase: w * random.between(0.15, 0.35)),
                top, foot))
        }

        // Near hills: ellipses centred just under the horizon.
        for _ in 0..<(2 + random.below(3)) {
            let top = palette.groundFar.jittered(&random, by: 15)
            list.append(Shape(
                .ellipse(cx: w * random.between(0, 1), cy: horizonY + below * 0.1, rx: w * random.between(0.2, 0.4), ry: h * random.between(0.08, 0.15)),
                top, palette.groundNear))
        }

        // A lake reflecting the sky.
        let lakeTop = skyHorizon.mixed(with: palette.groundNear, 1, 4).withAlpha(255)
        let lakeBottom = skyTop.mixed(with: palette.groundNear, 1, 3).withAlpha(255)
        list.append(Shape(
            .ellipse(cx: w * random.between(0.2, 0.8), cy: horizonY + below * 0.45, rx: w * random.between(0.12, 0.25), ry: below * 0.12),
            lakeTop, lakeBottom))

        // A house.
        let houseX = w * random.between(0.1, 0.8), houseBase = horizonY + below * random.between(0.3, 0.5), s = h * 0.12
        let wall = palette.wall.jittered(&random, by: 20), roof = palette.roof.jittered(&random, by: 20)
        list.append(Shape(
            .rect(x0: houseX, y0: houseBase - s * 0.7, x1: houseX + s * 1.2, y1: houseBase),
            wall, wall.mixed(with: .black, 1, 5)))
        list.append(Shape(
            .triangle(apexX: houseX + s * 0.6, apexY: houseBase - s * 1.25, baseY: houseBase - s * 0.7, halfBase: s * 0.75),
            roof, roof.mixed(with: .black, 1, 4)))
        let door = roof.mixed(with: .black, 1, 2), window = Colour(255, 230, 150)
        list.append(Shape(.rect(x0: houseX + s * 0.15, y0: houseBase - s * 0.45, x1: houseX + s * 0.4, y1: houseBase), door, door))
        list.append(Shape(.rect(x0: houseX + s * 0.65, y0: houseBase - s * 0.5, x1: houseX + s * 1.0, y1: houseBase - s * 0.25), window, window))

        // Trees, nearer (lower) ones bigger and drawn later.
        var trees: [(x: Double, base: Double)] = []
        for _ in 0..<(3 + random.below(5)) {
            trees.append((w * random.between(-0.05, 1.0), horizonY + below * random.between(0.3, 0.95)))
        }
        trees.sort { $0.base < $1.base }
        let bark = Colour(90, 60, 35)
        for tree in trees {
            let size = h * 0.3 * (tree.base - horizonY) / max(below, 1)
            let leaves = palette.leaves.jittered(&random, by: 15)
            list.append(Shape(.rect(x0: tree.x - size * 0.06, y0: tree.base - size * 0.25, x1: tree.x + size * 0.06, y1: tree.base), bark, bark))
            list.append(Shape(.triangle(apexX: tree.x, apexY: tree.base - size, baseY: tree.base - size * 0.2, halfBase: size * 0.3),
                                leaves, leaves.mixed(with: .black, 1, 3)))
        }
        shapes = list
    }

    /// Rows with equal keys have equal pixels, so a row whose key is the previous row's need
    /// not be drawn again: -1 is a transparent border row, otherwise the row sampled.
    @inline(__always)
    func rowKey(_ y: Int) -> Int {
        if noiseSeed != nil { return y }
        if flatColour != nil { return 0 }
        if border > 0 && (y < border || y >= height - border) { return -1 }
        return min(height - 1, (y / block) * block + block / 2)
    }

    /// Draws the row with key `key` into `row` (`width * channels` bytes).
    func render(key: Int, into row: UnsafeMutablePointer<UInt8>) {
        if let noiseSeed {
            // Eight bytes per draw, seeded per row so any row can be drawn on its own.
            var random = SplitMix64(seed: noiseSeed ^ (UInt64(key) &* 0x9E37_79B9_7F4A_7C15))
            let count = width * channels
            let raw = UnsafeMutableRawPointer(row)
            var offset = 0
            while offset + 8 <= count {
                raw.storeBytes(of: random.next(), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            var last = random.next()
            while offset < count {
                row[offset] = UInt8(truncatingIfNeeded: last)
                last >>= 8
                offset += 1
            }
            return
        }
        if let flatColour {
            fill(row, 0, width, flatColour)
            return
        }
        if key < 0 {
            row.update(repeating: 0, count: width * channels)
            return
        }
        let ys = key
        let background: Colour
        if ys < horizon {
            background = skyTop.mixed(with: skyHorizon, ys, max(1, horizon))
        } else {
            // Ploughed bands, thinner towards the horizon.
            let t = Double(ys - horizon) / Double(max(1, height - horizon))
            let band = Int((t * 500).squareRoot())
            let ground = groundFar.mixed(with: groundNear, ys - horizon, max(1, height - horizon))
            background = band & 1 == 1 ? ground.mixed(with: .black, 1, 9) : ground
        }
        fill(row, 0, width, background)
        let y = Double(ys) + 0.5
        let b = Double(block)
        let limit = Double(width)
        for shape in shapes where y >= shape.minY && y < shape.maxY {
            guard let (left, right) = shape.span(at: y) else { continue }
            let start = Int(min(max((left / b).rounded(), 0) * b, limit))
            let end = Int(min(max((right / b).rounded(), 0) * b, limit))
            if start < end {
                fill(row, start, end, shape.colour(at: y))
            }
        }
        if border > 0 {
            let side = min(border, width)
            row.update(repeating: 0, count: side * channels)
            (row + (width - side) * channels).update(repeating: 0, count: side * channels)
        }
    }

    /// Draws every row into `pixels`, `rowBytes` apart, copying repeated rows.
    func renderAll(into pixels: UnsafeMutablePointer<UInt8>, rowBytes: Int) {
        var lastKey = Int.min
        for y in 0..<height {
            let row = pixels + y * rowBytes
            let key = rowKey(y)
            if key == lastKey {
                row.update(from: row - rowBytes, count: width * channels)
            } else {
                render(key: key, into: row)
                lastKey = key
            }
        }
    }

    /// Pixels `start..<end` of `row` set to `colour`: one pixel written, then doubled by copies.
    @inline(__always)
    private func fill(_ row: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int, _ colour: Colour) {
        let count = end - start
        guard count > 0 else { return }
        let p = row + start * channels
        p[0] = UInt8(truncatingIfNeeded: colour.r)
        p[1] = UInt8(truncatingIfNeeded: colour.g)
        p[2] = UInt8(truncatingIfNeeded: colour.b)
        if channels == 4 { p[3] = UInt8(truncatingIfNeeded: colour.a) }
        var done = 1
        while done < count {
            let chunk = min(done, count - done)
            (p + done * channels).update(from: p, count: chunk * channels)
            done += chunk
        }
    }
}

/// An RGBA colour with components 0...255, in `Int` for mixing.
struct Colour: Hashable {
    var r: Int, g: Int, b: Int, a: Int

    init(_ r: Int, _ g: Int, _ b: Int, _ a: Int = 255) {
        self.r = r
        self.g = g
        self.b = b
        self.a = a
    }

    static let black = Colour(0, 0, 0)

    /// `self` moved `t / n` of the way to `other` (alpha too), in integers.
    func mixed(with other: Colour, _ t: Int, _ n: Int) -> Colour {
        Colour(r + (other.r - r) * t / n, g + (other.g - g) * t / n, b + (other.b - b) * t / n, a + (other.a - a) * t / n)
    }

    func withAlpha(_ alpha: Int) -> Colour { Colour(r, g, b, alpha) }

    /// Each colour component moved by up to ±`amount`, kept in 0...255.
    func jittered(_ random: inout SplitMix64, by amount: Int = 20) -> Colour {
        func move(_ c: Int) -> Int { min(255, max(0, c + random.below(2 * amount + 1) - amount)) }
        return Colour(move(r), move(g), move(b), a)
    }
}

/// A shape's outline, and its colour as a vertical gradient over its height.
struct Shape {
    enum Outline {
        case ellipse(cx: Double, cy: Double, rx: Double, ry: Double)
        /// Pointing up: the apex, and the half width at `baseY`.
        case triangle(apexX: Double, apexY: Double, baseY: Double, halfBase: Double)
        case rect(x0: Double, y0: Double, x1: Double, y1: Double)
    }

    let outline: Outline
    let top: Colour
    let bottom: Colour
    let minY: Double
    let maxY: Double

    init(_ outline: Outline, _ top: Colour, _ bottom: Colour) {
        self.outline = outline
        self.top = top
        self.bottom = bottom
        switch outline {
        case let .ellipse(_, cy, _, ry): (minY, maxY) = (cy - ry, cy + ry)
        case let .triangle(_, apexY, baseY, _): (minY, maxY) = (apexY, baseY)
        case let .rect(_, y0, _, y1): (minY, maxY) = (y0, y1)
        }
    }

    /// The horizontal extent at height `y` (inside minY..<maxY), or nil.
    func span(at y: Double) -> (Double, Double)? {
        switch outline {
        case let .ellipse(cx, cy, rx, ry):
            let d = (y - cy) / ry
            let t = 1 - d * d
            guard t > 0 else { return nil }
            let half = rx * t.squareRoot()
            return (cx - half, cx + half)
        case let .triangle(apexX, apexY, baseY, halfBase):
            let half = halfBase * (y - apexY) / (baseY - apexY)
            return (apexX - half, apexX + half)
        case let .rect(x0, _, x1, _):
            return (x0, x1)
        }
    }

    func colour(at y: Double) -> Colour {
        let steps = 256
        let t = Int((y - minY) / max(maxY - minY, 1e-9) * Double(steps))
        return top.mixed(with: bottom, min(max(t, 0), steps), steps)
    }
}

/// Base colours of a time of day.
struct Palette {
    var skyTop: Colour, skyHorizon: Colour, sun: Colour, cloud: Colour
    var mountain: Colour, groundFar: Colour, groundNear: Colour
    var leaves: Colour, wall: Colour, roof: Colour
    var hasStars = false

    static func pick(_ random: inout SplitMix64) -> Palette {
        switch random.below(4) {
        case 0:   // day
            Palette(skyTop: Colour(40, 100, 200), skyHorizon: Colour(170, 210, 240), sun: Colour(255, 240, 180), cloud: Colour(250, 250, 250),
                    mountain: Colour(90, 110, 140), groundFar: Colour(90, 150, 70), groundNear: Colour(40, 90, 35),
                    leaves: Colour(30, 110, 40), wall: Colour(220, 200, 170), roof: Colour(170, 60, 40))
        case 1:   // dusk
            Palette(skyTop: Colour(40, 30, 90), skyHorizon: Colour(250, 140, 80), sun: Colour(255, 200, 90), cloud: Colour(240, 170, 150),
                    mountain: Colour(90, 60, 100), groundFar: Colour(70, 60, 50), groundNear: Colour(30, 25, 20),
                    leaves: Colour(40, 50, 30), wall: Colour(150, 110, 100), roof: Colour(90, 40, 40))
        case 2:   // night
            Palette(skyTop: Colour(5, 10, 30), skyHorizon: Colour(30, 50, 90), sun: Colour(230, 230, 210), cloud: Colour(60, 70, 90),
                    mountain: Colour(25, 30, 50), groundFar: Colour(25, 35, 30), groundNear: Colour(10, 15, 10),
                    leaves: Colour(15, 35, 20), wall: Colour(60, 60, 70), roof: Colour(40, 30, 35), hasStars: true)
        default:   // dawn
            Palette(skyTop: Colour(90, 120, 190), skyHorizon: Colour(255, 200, 160), sun: Colour(255, 230, 200), cloud: Colour(255, 220, 230),
                    mountain: Colour(120, 110, 150), groundFar: Colour(110, 140, 90), groundNear: Colour(50, 80, 45),
                    leaves: Colour(50, 100, 50), wall: Colour(230, 210, 190), roof: Colour(120, 70, 60))
        }
    }
}
