#include "CLibraryLoader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

void *ps_library_function(ps_library *library, const char *name) {
    void *handle = __atomic_load_n(&library->handle, __ATOMIC_ACQUIRE);
    if (!handle) {
        // Two threads may both get here; dlopen counts references and returns one handle.
        handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            fprintf(stderr,
                "phonoscope: cannot load %s (%s).\nInstall the Debian package %s "
                "(bash Scripts/install-debian-packages.sh installs everything Phonoscope needs).\n",
                library->soname, dlerror(), library->package);
            exit(1);
        }
        __atomic_store_n(&library->handle, handle, __ATOMIC_RELEASE);
    }
    void *function = dlsym(handle, name);
    if (!function) {
        fprintf(stderr, "phonoscope: %s has no function %s (%s); the Debian package %s may be too old.\n",
            library->soname, name, dlerror(), library->package);
        exit(1);
    }
    return function;
}
