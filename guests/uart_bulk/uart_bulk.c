/* Bulk console output: writes lines of 79 characters plus a newline straight
 * to the UART's THR until `bytes` (bootarg bytes=N, default 10,000,000) have
 * gone out, then powers off. bench/console_bench times it through the
 * command's console against a flush-per-line baseline. */
#include "runtime/rt.h"

static uint64_t parse_bytes(const char* s) {
  const char* key = "bytes=";
  for (; s && *s; s++) {
    const char* k = key;
    const char* p = s;
    while (*k && *p == *k) {
      k++;
      p++;
    }
    if (*k) continue;
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') v = v * 10 + (uint64_t)(*p++ - '0');
    return v;
  }
  return 10000000;
}

int guest_main(void) {
  uint32_t len = 0;
  const uint64_t bytes = parse_bytes(fdt_get_prop(rt_dtb(), "/chosen", "bootargs", &len));
  uint64_t column = 0;
  for (uint64_t i = 0; i < bytes; i++) {
    const char c = column == 79 ? '\n' : (char)('a' + i % 26);
    column = c == '\n' ? 0 : column + 1;
    mmio_write8(RT_UART_BASE, (uint8_t)c);
  }
  return 0;
}
