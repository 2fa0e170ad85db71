#include "runtime/check.h"

#include "runtime/print.h"

static const char* group = "";
static uint64_t group_checks;
static uint64_t group_failures;
static uint64_t total_checks;
static uint64_t total_failures;

void rt_check_eq(int line, const char* what, uint64_t got, uint64_t want) {
  group_checks++;
  total_checks++;
  if (got == want) return;
  group_failures++;
  total_failures++;
  rt_printf("FAIL %s/%s (line %d): got 0x%lx want 0x%lx\n", group, what, line, got, want);
}

void rt_check_group(const char* name) {
  group = name;
  group_checks = 0;
  group_failures = 0;
}

void rt_check_group_end(void) {
  if (group_failures == 0) {
    rt_printf("%s: ok (%lu checks)\n", group, group_checks);
  } else {
    rt_printf("%s: %lu of %lu FAILED\n", group, group_failures, group_checks);
  }
}

uint64_t rt_check_failures(void) { return total_failures; }

int rt_check_summary(const char* program) {
  if (total_failures == 0) {
    rt_printf("%s: PASS (%lu checks)\n", program, total_checks);
    return 0;
  }
  rt_printf("%s: FAIL (%lu of %lu checks failed)\n", program, total_failures, total_checks);
  return 1;
}
