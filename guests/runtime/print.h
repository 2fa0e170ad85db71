/* A small printf for guests: %d %i %u %x %X %c %s %p %%, with the length
 * modifiers l / ll / z (all 64-bit here), a field width and the 0 and - flags.
 * Output goes to the UART under one lock per call, so lines from several harts
 * never interleave; a hart may print from its own trap handler (the lock is
 * re-entrant per hart). */
#ifndef GUESTS_RUNTIME_PRINT_H
#define GUESTS_RUNTIME_PRINT_H

#include <stdarg.h>
#include <stddef.h>

__attribute__((format(printf, 1, 2))) void rt_printf(const char* fmt, ...);
void rt_vprintf(const char* fmt, va_list ap);
void rt_puts(const char* s); /* no newline added */

/* Formats into buf (always NUL-terminated when size > 0); returns the length
 * the full output would have had. */
__attribute__((format(printf, 3, 4))) size_t rt_snprintf(char* buf, size_t size,
                                                         const char* fmt, ...);
size_t rt_vsnprintf(char* buf, size_t size, const char* fmt, va_list ap);

void rt_print_lock(void);
void rt_print_unlock(void);

#endif
