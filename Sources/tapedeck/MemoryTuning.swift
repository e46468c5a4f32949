#if canImport(Glibc)
import Glibc
#endif

/// glibc raises its mmap threshold each time a large block is freed, up to 32 MB, after which
/// blocks of real-size images (4 to 33 MB each) come from the heap and are not given back to
/// the system when freed. Fixing the threshold at 1 MiB keeps them mapped, so memory falls
/// back after each scenario. `mallopt` is not in Swift's Glibc module (it is in malloc.h), so
/// it is looked up by name; on another C library nothing happens.
enum MemoryTuning {
    static func returnLargeBlocks() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3 // M_MMAP_THRESHOLD in glibc's malloc.h
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 1 << 20)
        #endif
    }
}
