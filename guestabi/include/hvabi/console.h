/* SPDX-License-Identifier: MIT */
/*
 * Console hypercalls: output to and input from the monitor console.
 *
 * One block per operation: IN registers, OUT registers, errors. The calling
 * convention is in <hvabi/abi.h>; numbers are unique across the
 * headers of <hvabi/>.
 */
#ifndef HVABI_CONSOLE_H
#define HVABI_CONSOLE_H

#include "abi.h"

/*
 * HV_OP_CONSOLE_WRITE: write bytes to the guest's console.
 *
 *   IN   r0  guest virtual address of the bytes
 *        r1  number of bytes, 0 .. HV_CONSOLE_WRITE_MAX
 *   OUT  r0  number of bytes taken, 1 .. r1 (0 for a zero length). Fewer
 *            than r1 (a short count) when the guest's share of the
 *            monitor's output buffer filled up: the bytes from r0 + taken
 *            on were not taken and must be offered again.
 *   ERRORS
 *        HV_EAGAIN  the guest's share of the output buffer is full: no
 *                   byte was taken. Retry once the UART has caught up
 *                   (after HV_OP_YIELD, a timer, or simply again)
 *        HV_E2BIG   the length is above HV_CONSOLE_WRITE_MAX (nothing is
 *                   taken: the monitor never truncates)
 *        HV_EFAULT  the buffer is not entirely readable by the guest
 *
 * NOTES
 *   The monitor prefixes each line with the guest's name. Output of
 *   different guests is interleaved line by line, never within a line.
 *   Lines wait in a monitor buffer, in order with the monitor's own
 *   messages, and go to the UART without ever waiting for it; each guest
 *   may have up to 768 bytes there (prefixes and line ends included), so
 *   a guest that floods the console only slows its own output. Taken
 *   bytes are never lost; a guest's partial line is printed when it
 *   stops. Control bytes print as '?' (see docs/abi.md for UTF-8).
 */
#define HV_OP_CONSOLE_WRITE 2
#define HV_CONSOLE_WRITE_MAX 256

/*
 * HV_OP_CONSOLE_READ: take bytes of console input.
 *
 *   IN   r0  guest virtual address of a buffer; r1  its size
 *            (0 .. HV_CONSOLE_WRITE_MAX)
 *   OUT  r0  bytes read, 0 if none are waiting
 *   ERRORS
 *        HV_EPERM   the manifest does not give this guest console input
 *        HV_E2BIG   size above HV_CONSOLE_WRITE_MAX
 *        HV_EFAULT  the buffer is not writable by the guest
 *
 * The monitor keeps up to HV_CONSOLE_INPUT_MAX bytes; beyond that, input
 * is dropped and counted in the console log, never silently.
 */
#define HV_OP_CONSOLE_READ 26
#define HV_CONSOLE_INPUT_MAX 1024

#endif /* HVABI_CONSOLE_H */
