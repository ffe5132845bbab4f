/* SPDX-License-Identifier: MIT */
/* VFP/NEON: each guest's registers are its own; the enable bit works. */
#include <string.h>

#include "hvtest.h"

void vfp_store_all(uint64_t out[32]);
void vfp_load_all(const uint64_t in[32]);
uint32_t vfp_read_fpscr(void);

static uint64_t vfp_pattern(uint32_t seed, unsigned int i)
{
    return ((uint64_t)(seed ^ (i * 0x9e3779b9u)) << 32) | (seed + i);
}

/* Fills d0-d31, then keeps checking them across many guest switches. */
static int vfp_hold(uint32_t seed, uint32_t rounds)
{
    static uint64_t want[32];
    static uint64_t got[32];
    for (unsigned int i = 0; i < 32; i++) {
        want[i] = vfp_pattern(seed, i);
    }
    vfp_load_all(want);
    for (uint32_t r = 0; r < rounds; r++) {
        hv_yield();
        vfp_store_all(got);
        if (memcmp(got, want, sizeof(got)) != 0) {
            hv_printf("hvtest: FAIL VFP registers changed in round %lu\n",
                      (unsigned long)r);
            return HVTEST_FAILURE;
        }
    }
    return HVTEST_SUCCESS;
}

int vfp_role_holder(void);
int vfp_role_holder(void)
{
    int r = vfp_hold(0xa5a5a5a5u, 30);
    hv_printf("hvtest: role.vfp_holder: %s\n",
              r == HVTEST_SUCCESS ? "SUCCESS" : "FAILURE");
    return r;
}

/* hvtest-system: own */
TEST(vfp, fresh_and_isolated)
{
    static uint64_t regs[32];
    uint32_t bits = 0;
    ASSERT_EQ(hv_features(0, &bits), 0);
    ASSERT_TRUE(bits & (1u << HV_FEAT_VFP));
    /* Let the holder fill its registers first. */
    for (int i = 0; i < 5; i++) {
        hv_yield();
    }
    vfp_store_all(regs);
    for (unsigned int i = 0; i < 32; i++) {
        EXPECT_EQ((uint32_t)regs[i], 0u);
        EXPECT_EQ((uint32_t)(regs[i] >> 32), 0u);
    }
    EXPECT_EQ(vfp_read_fpscr(), 0u);
    EXPECT_EQ(vfp_hold(0x3c3c3c3cu, 60), HVTEST_SUCCESS);
}

TEST(vfp, enable_bit)
{
    EXPECT_EQ(hv_vfp(HV_VFP_STATUS), (int32_t)HV_VFP_FPEXC_EN);
    EXPECT_EQ(hv_vfp(HV_VFP_DISABLE), 0);
    EXPECT_EQ(hv_vfp(HV_VFP_STATUS), 0);
    EXPECT_EQ(hv_vfp(HV_VFP_ENABLE), 0);
    EXPECT_EQ(hv_vfp(HV_VFP_STATUS), (int32_t)HV_VFP_FPEXC_EN);
    EXPECT_EQ(hv_vfp(3), -HV_EINVAL);
    EXPECT_EQ(vfp_read_fpscr(), 0u);
}
