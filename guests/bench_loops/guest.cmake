# Benchmark guests: the interpreter's tight and mixed loops as real
# programs, run on the whole board by bench/riscv_board_bench.cc. Each prints
# its final registers, so the board's result is checked against QEMU's.
vtime_add_guest(bench_tight bench_loops/bench_tight.c bench_loops/bench_loops.S)
vtime_add_guest(bench_mixed bench_loops/bench_mixed.c bench_loops/bench_loops.S)
