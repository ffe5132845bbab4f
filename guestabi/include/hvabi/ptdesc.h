/* SPDX-License-Identifier: MIT */
/*
 * ARMv7-A short-descriptor translation tables: the descriptor bits.
 *
 * The architecture's format (ARM DDI 0406C, B3.5), named once for guests
 * and the monitor alike: the monitor validates guest entries with these
 * names (hv/core/pt.c) and builds its own with them (boot.S, mm.c). The
 * rules on which entries a guest may use are in <hvabi/mmu.h>, which
 * includes this header.
 *
 * Preprocessor constants only, and no u suffixes, so that assembly can
 * include this header too (C also gets a compile-time check of the field
 * macros, under !__ASSEMBLER__). In C the single bits are int
 * (all below bit 31) and the address masks, being hex above INT_MAX,
 * unsigned int: either converts to uint32_t unchanged.
 *
 * AP[2:0] is split in a descriptor (AP[1:0] and, apart, AP[2], called
 * APX): the HV_AP_* values are the three bits as one number, and
 * HV_L1_SECT_AP() and HV_L2_AP() put one in place. Memory types likewise:
 * HV_TEXCB_* is TEX[2:0]:C:B as one five-bit number, the notation of
 * <hvabi/mmu.h> and docs/abi.md ("TEX:C:B 001:1:1" is HV_TEXCB_NORMAL_WBWA).
 */
#ifndef HVABI_PTDESC_H
#define HVABI_PTDESC_H

/* First level (L1): 4096 entries, one per MiB. Bits 1:0 are the type. */
#define HV_L1_TYPE_MASK 0x3
#define HV_L1_TYPE_FAULT 0x0
#define HV_L1_TYPE_TABLE 0x1   /* points at a second-level table */
#define HV_L1_TYPE_SECTION 0x2 /* a section (or, with bit 18, supersection) */
#define HV_L1_TYPE_RESERVED 0x3
#define HV_L1_SHIFT 20       /* an L1 entry's index is va >> HV_L1_SHIFT */
#define HV_L1_DOMAIN_SHIFT 5 /* bits 8:5 of both types */
#define HV_L1_DOMAIN_MASK (0xf << HV_L1_DOMAIN_SHIFT)
#define HV_L1_DOMAIN(d) ((d) << HV_L1_DOMAIN_SHIFT)
#define HV_L1_GET_DOMAIN(desc) (((desc) >> HV_L1_DOMAIN_SHIFT) & 0xf)
#define HV_L1_IMP (1 << 9) /* implementation defined, both types */

/* L1 page-table entry (type 1): the table's address is bits 31:10. */
#define HV_L1_TABLE_PXN (1 << 2)
#define HV_L1_TABLE_NS (1 << 3)
#define HV_L1_TABLE_SBZ (1 << 4)
#define HV_L1_TABLE_ADDR_MASK 0xfffffc00

/* L1 section entry (type 2): the section's address is bits 31:20. */
#define HV_L1_SECT_B (1 << 2)
#define HV_L1_SECT_C (1 << 3)
#define HV_L1_SECT_XN (1 << 4)
#define HV_L1_SECT_AP_SHIFT 10   /* AP[1:0] in bits 11:10 */
#define HV_L1_SECT_TEX_SHIFT 12  /* TEX[2:0] in bits 14:12 */
#define HV_L1_SECT_APX (1 << 15) /* AP[2] */
#define HV_L1_SECT_S (1 << 16)
#define HV_L1_SECT_NG (1 << 17)
#define HV_L1_SECT_SUPER (1 << 18)
#define HV_L1_SECT_NS (1 << 19)
#define HV_L1_SECT_ADDR_MASK 0xfff00000

/* Second level (L2): 256 entries, one per 4 KiB page. */
#define HV_L2_TYPE_MASK 0x3
#define HV_L2_TYPE_FAULT 0x0
#define HV_L2_TYPE_LARGE 0x1 /* 64 KiB page */
#define HV_L2_SMALL 0x2      /* bit 1 set: a small page; bit 0 is then XN */
#define HV_L2_SHIFT 12       /* index (va >> HV_L2_SHIFT) & 0xff */

/* L2 small-page entry (type 2 or 3): the page's address is bits 31:12. */
#define HV_L2_XN (1 << 0)
#define HV_L2_B (1 << 2)
#define HV_L2_C (1 << 3)
#define HV_L2_AP_SHIFT 4   /* AP[1:0] in bits 5:4 */
#define HV_L2_TEX_SHIFT 6  /* TEX[2:0] in bits 8:6 */
#define HV_L2_APX (1 << 9) /* AP[2] */
#define HV_L2_S (1 << 10)
#define HV_L2_NG (1 << 11)
#define HV_L2_ADDR_MASK 0xfffff000

/*
 * Access permissions, AP[2:0] (with SCTLR.AFE clear). PL1 is the
 * monitor; a guest kernel runs at PL0 like its programs, so whatever
 * it must reach needs PL0 access (<hvabi/mmu.h>).
 */
#define HV_AP_NONE 0   /* no access */
#define HV_AP_PL1_RW 1 /* PL1 read/write, PL0 none */
#define HV_AP_PL0_RO 2 /* PL1 read/write, PL0 read-only */
#define HV_AP_RW 3     /* read/write at both */
#define HV_AP_PL1_RO 5 /* PL1 read-only, PL0 none */
#define HV_AP_RO_V6 6  /* read-only at both, deprecated in ARMv7 */
#define HV_AP_RO 7     /* read-only at both */
#define HV_L1_SECT_AP(ap)                                                      \
    ((((ap)&3) << HV_L1_SECT_AP_SHIFT) | (((ap) >> 2) << 15))
#define HV_L2_AP(ap) ((((ap)&3) << HV_L2_AP_SHIFT) | (((ap) >> 2) << 9))
#define HV_L1_SECT_GET_AP(desc) ((((desc) >> 10) & 3) | (((desc) >> 13) & 4))
#define HV_L2_GET_AP(desc) ((((desc) >> 4) & 3) | (((desc) >> 7) & 4))

/*
 * Memory types, TEX[2:0]:C:B (with SCTLR.TRE clear). The ones
 * <hvabi/mmu.h> accepts: Normal write-back for RAM, Device or
 * Strongly-ordered for device regions.
 */
#define HV_TEXCB_STRONGLY_ORDERED 0x00 /* 000:0:0 */
#define HV_TEXCB_DEVICE 0x01           /* 000:0:1, shareable Device */
#define HV_TEXCB_NORMAL_WT 0x02        /* 000:1:0, write-through */
#define HV_TEXCB_NORMAL_WB 0x03        /* 000:1:1, write-back, no allocate */
#define HV_TEXCB_NORMAL_NC 0x04        /* 001:0:0, non-cacheable */
#define HV_TEXCB_NORMAL_WBWA 0x07      /* 001:1:1, write-back write-allocate */
#define HV_TEXCB_DEVICE_NS 0x08        /* 010:0:0, non-shareable Device */
#define HV_L1_SECT_TEXCB(t)                                                    \
    ((((t) >> 2) << HV_L1_SECT_TEX_SHIFT) | (((t)&3) << 2))
#define HV_L2_TEXCB(t) ((((t) >> 2) << HV_L2_TEX_SHIFT) | (((t)&3) << 2))
#define HV_L1_SECT_GET_TEXCB(desc)                                             \
    ((((desc) >> 12) & 7) << 2 | (((desc) >> 2) & 3))
#define HV_L2_GET_TEXCB(desc) ((((desc) >> 6) & 7) << 2 | (((desc) >> 2) & 3))

#ifndef __ASSEMBLER__
#include "abi.h"
/* Placing a field and reading it back give the value placed. */
HV_STATIC_ASSERT(HV_L1_SECT_GET_AP(HV_L1_SECT_AP(HV_AP_PL1_RO)) ==
                         HV_AP_PL1_RO &&
                     HV_L2_GET_AP(HV_L2_AP(HV_AP_PL1_RO)) == HV_AP_PL1_RO &&
                     HV_L1_SECT_GET_TEXCB(HV_L1_SECT_TEXCB(0x1f)) == 0x1f &&
                     HV_L2_GET_TEXCB(HV_L2_TEXCB(0x1f)) == 0x1f &&
                     HV_L1_GET_DOMAIN(HV_L1_DOMAIN(15)) == 15,
                 hv_ptdesc_fields);
#endif

#endif /* HVABI_PTDESC_H */
