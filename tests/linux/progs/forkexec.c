/* SPDX-License-Identifier: MIT */
/*
 * forkexec [N] [PROGRAM]: N (default 500) cycles of fork, execve of
 * PROGRAM (default /bin/true) and waitpid; every child must exit 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 500;
    const char *prog = argc > 2 ? argv[2] : "/bin/true";
    char *const child_argv[] = {(char *)"true", NULL};

    for (unsigned long i = 0; i < n; i++) {
        int status;
        pid_t pid = fork();

        if (pid < 0) {
            printf("forkexec: FAIL fork in cycle %lu: %s\n", i,
                   strerror(errno));
            return 1;
        }
        if (pid == 0) {
            execve(prog, child_argv, environ);
            _exit(127);
        }
        if (waitpid(pid, &status, 0) != pid) {
            printf("forkexec: FAIL waitpid in cycle %lu: %s\n", i,
                   strerror(errno));
            return 1;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("forkexec: FAIL cycle %lu: child status 0x%x%s\n", i,
                   (unsigned)status,
                   WIFEXITED(status) && WEXITSTATUS(status) == 127
                       ? " (execve failed)"
                       : "");
            return 1;
        }
    }
    printf("forkexec: %lu cycles of fork+execve(%s)+waitpid OK\n", n, prog);
    return 0;
}
