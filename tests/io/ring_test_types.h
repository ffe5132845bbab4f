/* SPDX-License-Identifier: MIT */
/* A small ring type for the tests of <hvabi/io/ring.h>. */
#ifndef RING_TEST_TYPES_H
#define RING_TEST_TYPES_H

#include <hvabi/io/ring.h>

struct t_req {
    uint32_t seq;
    uint32_t a;
    uint32_t b;
    uint32_t c;
};

struct t_rsp {
    uint32_t seq;
    uint32_t sum;
};

/* struct t4_sring, t4_front_init, t4_put_request, ... */
HV_RING_DEFINE(t4, struct t_req, struct t_rsp, 4);

#endif /* RING_TEST_TYPES_H */
