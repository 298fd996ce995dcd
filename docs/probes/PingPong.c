// Probe (round 20, branch tok20): the cross-core round trip of one cache line between vCPU 0 and vCPU 1, now.
// Two threads pinned one per vCPU hand a counter back and forth through one line (each waits for the
// other's increment, then increments): ns per one-way hand-off, median of 9 runs of 200,000 round trips.
// Block-STM's two workers pay about this per read-modify-write of a scheduler counter or chain line the
// other worker wrote last; the sequential engine never does. Build and run (beside or between bench launches):
//   gcc -O2 -pthread -o /tmp/pingpong docs/probes/PingPong.c && .bench/measure /tmp/pingpong
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TRIPS 200000
static volatile long line[16] __attribute__((aligned(64)));

static void pin(int cpu) {
    cpu_set_t s;
    CPU_ZERO(&s);
    CPU_SET(cpu, &s);
    pthread_setaffinity_np(pthread_self(), sizeof s, &s);
}

static void *other(void *arg) {
    (void) arg;
    pin(1);
    for (long i = 1; i < 2 * TRIPS; i += 2) {
        while (line[0] != i) { }
        __atomic_fetch_add(&line[0], 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(void) {
    double r[9];
    for (int k = 0; k < 9; k++) {
        line[0] = 0;
        pthread_t t;
        pin(0);
        pthread_create(&t, NULL, other, NULL);
        double a = now();
        for (long i = 0; i < 2 * TRIPS; i += 2) {
            while (line[0] != i) { }
            __atomic_fetch_add(&line[0], 1, __ATOMIC_SEQ_CST);
        }
        while (line[0] != 2 * TRIPS) { }
        r[k] = (now() - a) / (2.0 * TRIPS);
        pthread_join(t, NULL);
    }
    qsort(r, 9, sizeof r[0], cmp);
    printf("one-way cache-line hand-off vCPU0<->vCPU1: median %.1f ns (min %.1f, max %.1f)\n", r[4], r[0], r[8]);
    return 0;
}
