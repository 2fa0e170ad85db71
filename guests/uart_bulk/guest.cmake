# Bulk console output for bench/console_bench: megabytes, so no expected text.
vtime_add_guest(uart_bulk uart_bulk/uart_bulk.c NO_EXPECTED)
