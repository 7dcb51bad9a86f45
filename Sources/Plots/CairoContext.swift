import CCairo

/// One cairo drawing context (`cairo_t`) on a surface.
///
/// Ownership: this object owns the one reference to `handle` that `cairo_create` returned and
/// drops it in `deinit`. The context holds its own reference to the surface, and `surface` is
/// kept here too so that the Swift wrapper outlives every use of the context.
final class CairoContext {
    let handle: OpaquePointer
    let surface: CairoSurface

    init(surface: CairoSurface) throws {
        guard let handle = cairo_create(surface.handle) else {
            throw PlotError.cairo(path: surface.path, reason: "no drawing context was created")
        }
        let status = cairo_status(handle)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_destroy(handle)
            throw PlotError.cairo(path: surface.path, reason: CairoSurface.describe(status))
        }
        self.handle = handle
        self.surface = surface
    }

    deinit {
        cairo_destroy(handle)
    }

    /// Throws if any drawing call so far failed (cairo records the first error and ignores
    /// later calls).
    func checkStatus() throws {
        let status = cairo_status(handle)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cairo(path: surface.path, reason: CairoSurface.describe(status))
        }
    }
}
