/* SPDX-License-Identifier: MIT */
/*
 * clockcheck SECONDS: CLOCK_MONOTONIC never goes back. Two processes
 * (the kernel switches between them on its ticks, hv refreshes the
 * guest clock's time pair between slices) each read the clock in a
 * tight loop for SECONDS and fail on a read earlier than the one before
 * it. Prints, per process:
 *   clockcheck: <reads> reads, largest step <ns> ns, <back> went back
 * and exits 1 if any went back or the clock did not advance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int check(unsigned long long seconds)
{
    unsigned long long start = now_ns(), last = start, largest = 0;
    unsigned long reads = 0, back = 0;

    while (last - start < seconds * 1000000000ULL) {
        unsigned long long t = now_ns();
        reads++;
        if (t < last) {
            if (back++ < 5)
                printf("clockcheck: went back %llu ns after %lu reads\n",
                       last - t, reads);
            continue;
        }
        if (t - last > largest)
            largest = t - last;
        last = t;
    }
    printf("clockcheck: %lu reads, largest step %llu ns, %lu went back\n",
           reads, largest, back);
    return back == 0 && reads > 1000 ? 0 : 1;
}

int main(int argc, char **argv)
{
    unsigned long long seconds = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    int status = 0;

    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        perror("clockcheck: fork");
        return 1;
    }
    int rc = check(seconds);
    if (child == 0) {
        return rc;
    }
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        rc = 1;
    }
    return rc;
}
