/* RV64I test groups, one per file. */
#ifndef GUESTS_RV64I_RV64I_H
#define GUESTS_RV64I_RV64I_H

void test_branches(void);
void test_jumps(void);
void test_loads_stores(void);
void test_fence_i(void);
void test_zicsr(void);

#endif
