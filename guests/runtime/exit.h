/* SiFive test device: the guest's way to end the run with a status.
 * 0x5555 = poweroff (pass, status 0); (code << 16) | 0x3333 = fail with code. */
#ifndef GUESTS_RUNTIME_EXIT_H
#define GUESTS_RUNTIME_EXIT_H

#include <stdint.h>

#define TEST_PASS 0x5555u
#define TEST_FAIL 0x3333u

/* Ends the run: status 0 powers off, any other value exits with it (& 0xffff). */
__attribute__((noreturn)) void rt_exit(uint32_t status);

#endif
