/* Self-checking helpers: compare, count, print only failures, then summarise.
 * A program prints one "<group>: ok" line per passing group so its output is
 * short and identical on every correct board. */
#ifndef GUESTS_RUNTIME_CHECK_H
#define GUESTS_RUNTIME_CHECK_H

#include <stdint.h>

#define CHECK_EQ(what, got, want) \
  rt_check_eq(__LINE__, (what), (uint64_t)(got), (uint64_t)(want))
#define CHECK(what, cond) rt_check_eq(__LINE__, (what), (uint64_t)!!(cond), 1)

void rt_check_eq(int line, const char* what, uint64_t got, uint64_t want);
/* Starts a group of checks. */
void rt_check_group(const char* name);
/* Ends the group: prints "<name>: ok (<n> checks)" or "<name>: N FAILED". */
void rt_check_group_end(void);
/* Prints the final verdict line and returns the exit status (0 = pass). */
int rt_check_summary(const char* program);
uint64_t rt_check_failures(void);

#endif
