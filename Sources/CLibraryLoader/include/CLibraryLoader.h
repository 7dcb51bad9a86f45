// Loading a C library on first use instead of at process start.
//
// `phonoscope features` needs libsndfile, FFTW and libsoxr; linking OpenBLAS, cairo and
// eSpeak NG as well would load about 40 more shared libraries (PulseAudio, X11, D-Bus, ...)
// into every process, which costs about 11 ms per start (Swift's runtime also reads
// /proc/self/maps at start, whose length grows with them). So COpenBLAS, CCairo and
// CESpeakNG are not linked: each defines the functions Phonoscope calls as forwarders that
// open the library with dlopen(3) on the first call and jump to the real function.
#ifndef PHONOSCOPE_LIBRARY_LOADER_H
#define PHONOSCOPE_LIBRARY_LOADER_H

#ifdef __cplusplus
extern "C" {
#endif

/// A library opened on first use: its soname, the Debian package that provides it (for the
/// error message), and the dlopen handle (NULL until then).
typedef struct {
    const char *soname;
    const char *package;
    void *handle;
} ps_library;

/// The address of `name` in `library`, opening the library first if needed. If either cannot
/// be found, prints which library and package are missing and exits with status 1.
void *ps_library_function(ps_library *library, const char *name);

/// Declares `real`, the address of `name` in `library`, looked up on the first call and cached.
#define PS_LOOKUP(library, name) \
    static __typeof__(name) *cached = 0; \
    __typeof__(name) *real = __atomic_load_n(&cached, __ATOMIC_ACQUIRE); \
    if (!real) { \
        real = (__typeof__(name) *)ps_library_function(&library, #name); \
        __atomic_store_n(&cached, real, __ATOMIC_RELEASE); \
    }

/// Defines `name` as a forwarder to the function of the same name in `library`, with the
/// prototype that the library's header declared: `params` is the parenthesised parameter list,
/// `args` the parenthesised names.
#define PS_FORWARD(library, ret, name, params, args) \
    ret name params { \
        PS_LOOKUP(library, name) \
        return real args; \
    }

/// As PS_FORWARD, for functions that return nothing.
#define PS_FORWARD_VOID(library, name, params, args) \
    void name params { \
        PS_LOOKUP(library, name) \
        real args; \
    }

#ifdef __cplusplus
}
#endif

#endif
