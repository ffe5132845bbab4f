/* SPDX-License-Identifier: MIT */
/*
 * Position-independent user programs for the virtual-mode tests. The test
 * kernel copies one (from its start to its _end label) into a user page
 * and enters it in virtual user mode. "exit" is SVC with r7 = 1.
 */
    .text
    .arm

.macro program name
    .global \name, \name\()_end
    .align 2
\name:
.endm

/* Syscall 42 with r0 = 1, then exits with r0 = what the syscall returned. */
program user_syscall
    mov     r0, #1
    mov     r7, #42
    svc     #0
    mov     r7, #1
    svc     #0
user_syscall_end:

/* Reads the word at r1 (a kernel address): must abort. */
program user_read_kernel
    ldr     r0, [r1]
    mov     r7, #1
    svc     #0
user_read_kernel_end:

/* Tries HV_OP_SHUTDOWN: must arrive as a system call. */
program user_hypercall
    mov     r12, #4
    mov     r0, #0
    svc     #0
    mov     r7, #1
    svc     #0
user_hypercall_end:

/* Tries to mask interrupts and enter SVC mode, then reports its CPSR. */
program user_privileged
    cpsid   aif
    msr     cpsr_c, #0xd3
    mrs     r0, cpsr
    mov     r7, #1
    svc     #0
user_privileged_end:

/* An undefined instruction. */
program user_undefined
    .word   0xe7f000f0
    mov     r7, #1
    svc     #0
user_undefined_end:

/* Spins until the kernel, at an event upcall, stops it. */
program user_spin
1:  add     r0, r0, #1
    b       1b
user_spin_end:

/* Counts forever in r0, storing each value just below its stack top. */
program user_count
1:  add     r0, r0, #1
    str     r0, [sp, #-4]
    b       1b
user_count_end:

/* Exits with the value of TPIDRURO, which user mode can read. */
program user_read_tls
    mrc     p15, 0, r0, c13, c0, 3
    mov     r7, #1
    svc     #0
user_read_tls_end:

/* Writing TPIDRURO is privileged: undefined in user mode. */
program user_write_tls
    mov     r0, #0
    mcr     p15, 0, r0, c13, c0, 3
    mov     r7, #1
    svc     #0
user_write_tls_end:

/* Syscall 7 n times (r1 = n), then exits: for the benchmark. */
program user_syscall_loop
1:  mov     r7, #7
    svc     #0
    subs    r1, r1, #1
    bne     1b
    mov     r7, #1
    svc     #0
user_syscall_loop_end:

/*
 * vk_entry: the test kernel's single upcall entry point.
 * In (from the monitor): sp = r0 = the frame, r1 = fault address,
 * r2 = fault status, r3 = upcall kind. vk_upcall never returns.
 */
    .global vk_entry
vk_entry:
    bl      vk_upcall
1:  b       1b

/* Kernel-mode load from r1 that the test expects to fault (fixup: +4). */
    .global vk_kernel_load
vk_kernel_load:
    ldr     r0, [r1]
    bx      lr
