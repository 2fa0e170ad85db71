/* Formatter core: one pass over the format, emitting through a sink so that the
 * same code serves the UART and memory buffers. */
#include "runtime/print.h"

#include <stdint.h>

#include "runtime/csr.h"
#include "runtime/spinlock.h"
#include "runtime/uart.h"

typedef struct {
  char* buf; /* NULL: write to the UART */
  size_t size;
  size_t len;
} sink;

static void emit(sink* s, char c) {
  if (s->buf == NULL) {
    uart_putc(c);
  } else if (s->len + 1 < s->size) {
    s->buf[s->len] = c;
  }
  s->len++;
}

static void emit_padded(sink* s, const char* text, size_t n, unsigned width, int left, char pad) {
  size_t fill = width > n ? width - n : 0;
  if (!left) {
    for (size_t i = 0; i < fill; i++) emit(s, pad);
  }
  for (size_t i = 0; i < n; i++) emit(s, text[i]);
  if (left) {
    for (size_t i = 0; i < fill; i++) emit(s, ' ');
  }
}

/* Digits of v in base 10 or 16, written backwards from the end of out. */
static size_t format_unsigned(char* out_end, uint64_t v, unsigned base, int upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  size_t n = 0;
  do {
    *--out_end = digits[v % base];
    v /= base;
    n++;
  } while (v != 0);
  return n;
}

static void format(sink* s, const char* fmt, va_list ap) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      emit(s, *fmt);
      continue;
    }
    fmt++;
    int left = 0;
    char pad = ' ';
    for (;; fmt++) {
      if (*fmt == '-') left = 1;
      else if (*fmt == '0') pad = '0';
      else break;
    }
    unsigned width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (unsigned)(*fmt++ - '0');
    int wide = 0;
    while (*fmt == 'l' || *fmt == 'z') {
      wide = 1;
      fmt++;
    }
    char num[24];
    char* end = num + sizeof num;
    switch (*fmt) {
      case 'd':
      case 'i': {
        int64_t v = wide ? va_arg(ap, int64_t) : va_arg(ap, int);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        size_t n = format_unsigned(end, mag, 10, 0);
        if (v < 0) {
          *(end - n - 1) = '-';
          n++;
        }
        emit_padded(s, end - n, n, width, left, pad);
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        uint64_t v = wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
        size_t n = format_unsigned(end, v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
        emit_padded(s, end - n, n, width, left, pad);
        break;
      }
      case 'p': {
        uint64_t v = (uint64_t)(uintptr_t)va_arg(ap, void*);
        size_t n = format_unsigned(end, v, 16, 0);
        emit(s, '0');
        emit(s, 'x');
        emit_padded(s, end - n, n, width, left, '0');
        break;
      }
      case 'c': {
        char c = (char)va_arg(ap, int);
        emit_padded(s, &c, 1, width, left, ' ');
        break;
      }
      case 's': {
        const char* str = va_arg(ap, const char*);
        if (str == NULL) str = "(null)";
        size_t n = 0;
        while (str[n]) n++;
        emit_padded(s, str, n, width, left, ' ');
        break;
      }
      case '%':
        emit(s, '%');
        break;
      case '\0':
        return;
      default: /* unknown conversion: show it verbatim */
        emit(s, '%');
        emit(s, *fmt);
        break;
    }
  }
}

static rt_spinlock print_lock;
static volatile int64_t print_owner = -1;
static unsigned print_depth;

void rt_print_lock(void) {
  int64_t me = (int64_t)rt_hartid();
  if (print_owner == me) {
    print_depth++;
    return;
  }
  rt_spin_lock(&print_lock);
  print_owner = me;
  print_depth = 1;
}

void rt_print_unlock(void) {
  if (--print_depth == 0) {
    print_owner = -1;
    rt_spin_unlock(&print_lock);
  }
}

void rt_vprintf(const char* fmt, va_list ap) {
  sink s = {NULL, 0, 0};
  rt_print_lock();
  format(&s, fmt, ap);
  rt_print_unlock();
}

void rt_printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  rt_vprintf(fmt, ap);
  va_end(ap);
}

void rt_puts(const char* str) { rt_printf("%s", str); }

size_t rt_vsnprintf(char* buf, size_t size, const char* fmt, va_list ap) {
  sink s = {buf, size, 0};
  format(&s, fmt, ap);
  if (size > 0) buf[s.len < size ? s.len : size - 1] = '\0';
  return s.len;
}

size_t rt_snprintf(char* buf, size_t size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t n = rt_vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}
