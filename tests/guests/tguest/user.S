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

/* Jumps to r1 (a kernel address): a prefetch abort there. */
program user_jump_kernel
    bx      r1
user_jump_kernel_end:

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

/* Counts r1 down to 0 (two instructions a turn), then exits: work for
 * the timer-tick benchmark. */
program user_loop
1:  subs    r1, r1, #1
    bne     1b
    mov     r7, #1
    svc     #0
user_loop_end:

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

/* SVC with r12 = HV_OP_IRET and r0 = r1: a system call all the same. */
program user_svc_iret_number
    mov     r0, r1
    mov     r12, #14
    svc     #0
    mov     r7, #1
    svc     #0
user_svc_iret_number_end:

/* Syscall 42 with r4-r12 set to 0x44..0xcc (r7 = 42), then exits. */
program user_syscall_filled
    mov     r0, #1
    mov     r4, #0x44
    mov     r5, #0x55
    mov     r6, #0x66
    mov     r7, #42
    mov     r8, #0x88
    mov     r9, #0x99
    mov     r10, #0xaa
    mov     r11, #0xbb
    mov     r12, #0xcc
    svc     #0
    mov     r7, #1
    svc     #0
user_syscall_filled_end:

/* Syscall 42 with r0 = 1, r1-r6 = 0x11..0x66, r8-r12 = 0x88..0xcc and
 * lr = 0xe0, then exits: every register the kernel gets in place. */
program user_syscall_all_filled
    mov     r0, #1
    mov     r1, #0x11
    mov     r2, #0x22
    mov     r3, #0x33
    mov     r4, #0x44
    mov     r5, #0x55
    mov     r6, #0x66
    mov     r7, #42
    mov     r8, #0x88
    mov     r9, #0x99
    mov     r10, #0xaa
    mov     r11, #0xbb
    mov     r12, #0xcc
    mov     lr, #0xe0
    svc     #0
    mov     r7, #1
    svc     #0
user_syscall_all_filled_end:

/* Exits at once: r7 = 1 must come from whoever entered it. */
program user_exit_now
    svc     #0
user_exit_now_end:

/*
 * vk_entry: the test kernel's single upcall entry point.
 * In (from the monitor): sp = r0 = the frame, r1 = fault address,
 * r2 = fault status, r3 = upcall kind. vk_upcall never returns.
 */
    .global vk_entry
vk_entry:
    bl      vk_upcall
1:  b       1b

/*
 * vk_events_check_filled(sp): HV_OP_EVENTS_CHECK from kernel mode with
 * r4-r11 = 0x44..0xbb and sp = @sp (0: its own), then back with every
 * register as it was. An event due is delivered on the way back, with
 * its frame below that sp.
 */
    .global vk_events_check_filled
vk_events_check_filled:
    push    {r4-r11, lr}
    mov     r1, sp
    cmp     r0, #0
    movne   sp, r0
    mov     r4, #0x44
    mov     r5, #0x55
    mov     r6, #0x66
    mov     r7, #0x77
    mov     r8, #0x88
    mov     r9, #0x99
    mov     r10, #0xaa
    mov     r11, #0xbb
    mov     r12, #15                    /* HV_OP_EVENTS_CHECK */
    svc     #0
    mov     sp, r1
    pop     {r4-r11, pc}

/* Kernel-mode load from r1 that the test expects to fault (fixup: +4). */
    .global vk_kernel_load
vk_kernel_load:
    ldr     r0, [r1]
    bx      lr

/*
 * vk_entry_regs: an upcall entry that first records r4-r12 as the
 * monitor left them (vk_upcall_regs[0..8]), then goes on as vk_entry.
 * Uses the word below the frame (sp = r0 = the frame) for one register.
 */
    .global vk_entry_regs
vk_entry_regs:
    str     r4, [sp, #-4]
    ldr     r4, =vk_upcall_regs
    stmib   r4, {r5-r12}
    ldr     r5, [sp, #-4]
    str     r5, [r4]
    b       vk_entry
    
/*
 * vk_entry_in_place: the system call entry with the registers in place
 * (HV_CALLBACKS_REGS_IN_PLACE). In (from the monitor): r0-r12 the
 * user's, sp = the frame (its sp, lr, pc and cpsr written), lr 0. If
 * vk_in_place_record is set, clears it and records r0-r12 and lr as they
 * came (vk_in_place_regs[0..13]) and the frame's r[0..12] and orig_r0 as
 * the monitor left them (vk_in_place_found[0..13]). Then does a kernel's
 * part, the registers and orig_r0 into the frame, and goes on as
 * vk_entry with r0 = the frame, r1 = its pc, r2 = 0, r3 = the kind.
 */
    .global vk_entry_in_place
vk_entry_in_place:
    str     r12, [sp, #-4]              /* the word below the frame */
    ldr     r12, =vk_in_place_scratch
    stmia   r12, {r0-r11}
    ldr     r0, [sp, #-4]
    str     r0, [r12, #48]
    str     lr, [r12, #52]
    ldr     r1, =vk_in_place_record
    ldr     r2, [r1]
    cmp     r2, #0
    beq     2f
    mov     r2, #0
    str     r2, [r1]
    ldr     r1, =vk_in_place_regs
    ldmia   r12, {r2-r11}               /* r0-r9 as they came */
    stmia   r1!, {r2-r11}
    add     r2, r12, #40
    ldmia   r2, {r2-r5}                 /* r10-r12, lr */
    stmia   r1, {r2-r5}
    ldr     r1, =vk_in_place_found
    ldmia   sp, {r2-r11}                /* the frame's r[0..9] */
    stmia   r1!, {r2-r11}
    add     r2, sp, #40
    ldmia   r2, {r2-r4}                 /* r[10..12] */
    ldr     r5, [sp, #68]               /* orig_r0 */
    stmia   r1, {r2-r5}
2:  ldmia   r12, {r0-r12}
    stmia   sp, {r0-r12}
    str     r0, [sp, #68]               /* orig_r0 */
    mov     r0, sp
    ldr     r1, [sp, #60]               /* the pc after the SVC */
    mov     r2, #0
    mov     r3, #1                      /* HV_UPCALL_SYSCALL */
    b       vk_entry

/*
 * vk_entry_bench_in_place: the least a kernel does for a system call
 * with the registers in place, for the benchmark: stores r0-r12 in the
 * frame and returns at once; the exit (r7 = 1) goes to vk_entry_in_place.
 * Six instructions: with user_syscall_loop's four, the guest's part of a
 * turn is 10.
 */
    .global vk_entry_bench_in_place
vk_entry_bench_in_place:
    cmp     r7, #1
    beq     vk_entry_in_place
    stmia   sp, {r0-r12}
    mov     r0, sp
    mov     r12, #14                    /* HV_OP_IRET */
    svc     #0

/*
 * int32_t vk_iret_with_regs(const struct hv_frame *frame,
 *                           const uint32_t regs[11]):
 * HV_OP_IRET with r1-r11 = regs[0..10]. Returns only on error (r0), with
 * r1-r11 as the call left them in vk_iret_back[0..10].
 */
    .global vk_iret_with_regs
vk_iret_with_regs:
    push    {r4-r11, lr}
    ldmia   r1, {r1-r11}
    mov     r12, #14                    /* HV_OP_IRET */
    svc     #0
    ldr     r12, =vk_iret_back
    stmia   r12, {r1-r11}
    pop     {r4-r11, pc}
    .ltorg

    .bss
    .align  2
vk_in_place_scratch:
    .space  14 * 4
