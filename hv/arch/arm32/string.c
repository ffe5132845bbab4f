/* SPDX-License-Identifier: MIT */
/*
 * memcpy, memmove and memset for the monitor, in place of picolibc's: as
 * Debian builds picolibc for arm-none-eabi they go a byte at a time, four
 * instructions a byte. A 4 KiB grant copy (HV_OP_GRANT_COPY, every block
 * request's data) cost 16,400 instructions that way; 32-byte blocks, one
 * eight-register ldm/stm pair each, take about 520.
 *
 * The host unit tests build this file with the names changed
 * (tests/unit/CMakeLists.txt) and compare it with the C library's.
 *
 * Every loop body ends in an empty asm with a memory clobber: without it
 * the compiler may recognise the loop as a memcpy or memset and call the
 * function being defined.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct string_block {
    uint32_t w[8];
};

#define STRING_BARRIER() __asm__ volatile("" ::: "memory")

/* Forward, @n bytes, @d and @s both word-aligned. Safe when @d is below
 * an overlapping @s: every word is read before a lower one is written. */
static void string_copy_words(uint32_t *d, const uint32_t *s, size_t n)
{
    size_t blocks = n / sizeof(struct string_block);

#if defined(__arm__)
    /* One eight-register ldm/stm pair a block, eight blocks a turn while
     * eight remain: 19 instructions per 256 bytes with the loop, about
     * 310 for a 4 KiB grant copy (four a turn took 360), against 5 per
     * 32 bytes one block a turn (GCC copies the struct below with eleven
     * per block: two four-register pairs and the address arithmetic
     * between them). */
    for (; blocks >= 8; blocks -= 8) {
        __asm__ volatile(".rept 8\n\t"
                         "ldmia %0!, {r3-r10}\n\t"
                         "stmia %1!, {r3-r10}\n\t"
                         ".endr"
                         : "+r"(s), "+r"(d)
                         :
                         : "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10",
                           "memory");
    }
    for (size_t i = 0; i < blocks; i++) {
        __asm__ volatile("ldmia %0!, {r3-r10}\n\t"
                         "stmia %1!, {r3-r10}"
                         : "+r"(s), "+r"(d)
                         :
                         : "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10",
                           "memory");
    }
#else
    struct string_block *db = (struct string_block *)d;
    const struct string_block *sb = (const struct string_block *)s;

    for (size_t i = 0; i < blocks; i++) {
        db[i] = sb[i];
        STRING_BARRIER();
    }
    d += blocks * 8u;
    s += blocks * 8u;
#endif
    for (size_t i = 0; i < (n % sizeof(struct string_block)) / 4u; i++) {
        d[i] = s[i];
        STRING_BARRIER();
    }
}

static void string_copy_forward(uint8_t *d, const uint8_t *s, size_t n)
{
    /* Words when both ends can reach word alignment together: hypercall
     * arguments of 8 bytes and up are copied that way too. */
    if (n >= 4 && (((uintptr_t)d ^ (uintptr_t)s) & 3u) == 0) {
        while (((uintptr_t)d & 3u) != 0) {
            *d++ = *s++;
            n--;
            STRING_BARRIER();
        }
        size_t words = n & ~(size_t)3;
        string_copy_words((uint32_t *)(void *)d,
                          (const uint32_t *)(const void *)s, words);
        d += words;
        s += words;
        n -= words;
    }
    for (size_t i = 0; i < n; i++) {
        d[i] = s[i];
        STRING_BARRIER();
    }
}

/* Backward, for an @s below an overlapping @d: from the end down. */
static void string_copy_backward(uint8_t *d, const uint8_t *s, size_t n)
{
    d += n;
    s += n;
    if (n >= 16 && (((uintptr_t)d ^ (uintptr_t)s) & 3u) == 0) {
        while (((uintptr_t)d & 3u) != 0) {
            *--d = *--s;
            n--;
            STRING_BARRIER();
        }
        for (; n >= 4; n -= 4) {
            d -= 4;
            s -= 4;
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
            STRING_BARRIER();
        }
    }
    while (n-- > 0) {
        *--d = *--s;
        STRING_BARRIER();
    }
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    string_copy_forward(dst, src, n);
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uintptr_t d = (uintptr_t)dst;
    uintptr_t s = (uintptr_t)src;

    if (d - s >= n) {
        /* @dst below @src, or no overlap (unsigned: d < s wraps). */
        string_copy_forward(dst, src, n);
    } else if (d != s) {
        string_copy_backward(dst, src, n);
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    uint8_t byte = (uint8_t)c;

    if (n >= 16) {
        while (((uintptr_t)d & 3u) != 0) {
            *d++ = byte;
            n--;
            STRING_BARRIER();
        }
        uint32_t word = byte * 0x01010101u;
        struct string_block fill = {
            {word, word, word, word, word, word, word, word}};
        struct string_block *db = (struct string_block *)(void *)d;
        size_t blocks = n / sizeof(fill);
#if defined(__arm__)
        /* One eight-register stm a block, three instructions with the
         * loop, where the struct store below takes eleven: zeroing a
         * guest's memory at boot and restart is most of what memset does. */
        (void)fill;
        if (blocks > 0) {
            struct string_block *p = db;
            size_t left = blocks;
            __asm__ volatile("mov r3, %2\n\tmov r4, %2\n\tmov r5, %2\n\t"
                             "mov r6, %2\n\tmov r7, %2\n\tmov r8, %2\n\t"
                             "mov r9, %2\n\tmov r10, %2\n"
                             "1:\tstmia %0!, {r3-r10}\n\t"
                             "subs %1, %1, #1\n\t"
                             "bne 1b"
                             : "+r"(p), "+r"(left)
                             : "r"(word)
                             : "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10",
                               "cc", "memory");
        }
#else
        for (size_t i = 0; i < blocks; i++) {
            db[i] = fill;
            STRING_BARRIER();
        }
#endif
        d += blocks * sizeof(fill);
        n -= blocks * sizeof(fill);
        uint32_t *dw = (uint32_t *)(void *)d;
        for (size_t i = 0; i < n / 4u; i++) {
            dw[i] = word;
            STRING_BARRIER();
        }
        d += n & ~(size_t)3;
        n &= 3u;
    }
    for (size_t i = 0; i < n; i++) {
        d[i] = byte;
        STRING_BARRIER();
    }
    return dst;
}
