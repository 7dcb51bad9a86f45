// Output probe behind BENCHMARKS.md's features section: speechless's 75,001 x 128 float32
// output (38 MB) written in 512 KB blocks with pwrite after posix_fallocate, then normalised
// in place either by pread + scale + pwrite in 1 MB blocks (what NPYStreamWriter does) or
// through a shared mmap of the file. Best of 5 for each. Usage: see run.sh.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double run(const char *directory, int use_mmap) {
    const size_t n = (size_t)75001 * 128, bytes = n * sizeof(float), header = 128, chunk = 1 << 20;
    char path[4096];
    snprintf(path, sizeof path, "%s/output-probe.partial", directory);
    float *block = malloc(chunk);
    for (size_t i = 0; i < chunk / sizeof(float); i++) block[i] = i * 0.001f;
    double start = now();
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || posix_fallocate(fd, 0, bytes + header) != 0) return -1;
    for (size_t done = 0; done < bytes;) {
        size_t m = bytes - done < chunk / 2 ? bytes - done : chunk / 2;
        if (pwrite(fd, block, m, header + done) != (ssize_t)m) return -1;
        done += m;
    }
    if (use_mmap) {
        char *p = mmap(NULL, bytes + header, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) return -1;
        float *f = (float *)(p + header);
        for (size_t i = 0; i < n; i++) f[i] = (f[i] - 1) * 0.5f;
        munmap(p, bytes + header);
    } else {
        for (size_t done = 0; done < bytes;) {
            size_t m = bytes - done < chunk ? bytes - done : chunk;
            if (pread(fd, block, m, header + done) != (ssize_t)m) return -1;
            for (size_t i = 0; i < m / sizeof(float); i++) block[i] = (block[i] - 1) * 0.5f;
            if (pwrite(fd, block, m, header + done) != (ssize_t)m) return -1;
            done += m;
        }
    }
    close(fd);
    double elapsed = now() - start;
    unlink(path);
    free(block);
    return elapsed;
}

int main(int argc, char **argv) {
    const char *directory = argc > 1 ? argv[1] : ".";
    for (int use_mmap = 0; use_mmap < 2; use_mmap++) {
        double best = 1e9;
        for (int r = 0; r < 5; r++) {
            double t = run(directory, use_mmap);
            if (t < 0) {
                perror("output probe");
                return 1;
            }
            if (t < best) best = t;
        }
        printf("38 MB output, write + normalise via %s: %.4f s\n", use_mmap ? "shared mmap" : "pread/pwrite", best);
    }
    return 0;
}
