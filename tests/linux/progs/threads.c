/* SPDX-License-Identifier: MIT */
/*
 * threads [N] [ITER]: N pthreads (default 4) each sum a private range and
 * add ITER (default 20000) increments to a mutex-protected counter, meeting
 * at a barrier halfway (futex wake-ups across threads). The main thread
 * joins them and checks every result. Prints OK or FAIL; exit 0 on OK.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAXT 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t barrier;
static unsigned long counter;
static unsigned long iters = 20000;

struct job {
    pthread_t tid;
    unsigned long index;
    unsigned long long sum;
};

static void *worker(void *arg)
{
    struct job *j = arg;
    unsigned long base = j->index * 100000UL;

    for (unsigned long i = 0; i < iters; i++) {
        j->sum += base + i;
        if (i == iters / 2)
            pthread_barrier_wait(&barrier);
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return j;
}

int main(int argc, char **argv)
{
    static struct job jobs[MAXT];
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 4;
    int bad = 0;

    if (argc > 2)
        iters = strtoul(argv[2], NULL, 0);
    if (n < 1 || n > MAXT || iters < 2) {
        fprintf(stderr, "usage: threads [1..%d] [ITER>=2]\n", MAXT);
        return 2;
    }
    if (pthread_barrier_init(&barrier, NULL, (unsigned)n) != 0) {
        puts("threads: FAIL pthread_barrier_init");
        return 1;
    }
    for (unsigned long t = 0; t < n; t++) {
        jobs[t].index = t;
        if (pthread_create(&jobs[t].tid, NULL, worker, &jobs[t]) != 0) {
            printf("threads: FAIL pthread_create %lu\n", t);
            return 1;
        }
    }
    for (unsigned long t = 0; t < n; t++) {
        void *ret;
        unsigned long long base = t * 100000ULL;
        unsigned long long want =
            base * iters + (unsigned long long)iters * (iters - 1) / 2;

        if (pthread_join(jobs[t].tid, &ret) != 0 || ret != &jobs[t]) {
            printf("threads: FAIL join %lu\n", t);
            bad = 1;
        } else if (jobs[t].sum != want) {
            printf("threads: FAIL thread %lu sum %llu, expected %llu\n", t,
                   jobs[t].sum, want);
            bad = 1;
        }
    }
    if (counter != n * iters) {
        printf("threads: FAIL counter %lu, expected %lu\n", counter, n * iters);
        bad = 1;
    }
    printf("threads: %lu threads x %lu iterations %s\n", n, iters,
           bad ? "FAIL" : "OK");
    return bad;
}
