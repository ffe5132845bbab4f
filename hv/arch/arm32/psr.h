/* SPDX-License-Identifier: MIT */
/*
 * The CPSR/SPSR format (ARMv7-A), private to hv/arch/arm32 and included
 * as "psr.h" by its C and assembly files: preprocessor constants only, no
 * u suffixes. The flags a guest owns (NZCVQ, IT, GE, E, T) are the ABI's
 * HV_VCPSR_FLAGS (<hvabi/vcpu.h>): its virtual CPSR keeps them where the
 * real one has them.
 */
#ifndef ARM32_PSR_H
#define ARM32_PSR_H

#define PSR_MODE_MASK 0x1f
#define PSR_MODE_USR 0x10
#define PSR_MODE_SVC 0x13
#define PSR_MODE_ABT 0x17
#define PSR_MODE_HYP 0x1a
#define PSR_MODE_UND 0x1b
#define PSR_T (1 << 5)         /* Thumb state */
#define PSR_F (1 << 6)         /* FIQ masked */
#define PSR_I (1 << 7)         /* IRQ masked */
#define PSR_A (1 << 8)         /* asynchronous abort masked */
#define PSR_IT_MASK 0x0600fc00 /* IT[1:0] in bits 26:25, IT[7:2] in 15:10 */

#endif /* ARM32_PSR_H */
