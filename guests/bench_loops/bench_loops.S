/* The two benchmark loops, in assembly so that the instructions are exactly
 * the ones bench/riscv_bench.cc runs on the bare hart (32-bit encodings, no
 * compressed forms). */
	.option norvc
	.text

/* uint64_t bench_tight_loop(uint64_t iterations, uint64_t out[2]):
 * 4 instructions per iteration (addi, addi, xor, bne); returns the count
 * reached, out = {a2, a3}. */
	.globl bench_tight_loop
bench_tight_loop:
	mv	a5, a1
	mv	a1, a0
	li	a0, 0
	li	a2, 0
	li	a3, 0
1:	addi	a0, a0, 1
	addi	a2, a2, 3
	xor	a3, a3, a2
	bne	a0, a1, 1b
	sd	a2, 0(a5)
	sd	a3, 8(a5)
	ret

/* uint64_t bench_mixed_loop(uint64_t iterations, uint64_t data[2], uint64_t out[2]):
 * loads, stores, a call and a data-dependent branch; 14 instructions per
 * iteration with an even sum, 15 with an odd one. data[0] counts iterations,
 * the call stores it to data[1], which is loaded back and summed. Returns the
 * sum; out = {odd sums, a2}. */
	.globl bench_mixed_loop
bench_mixed_loop:
	mv	t4, ra
	mv	t5, a2
	mv	a4, a0
	mv	t6, s1		/* s1 is callee-saved: kept in t6 meanwhile */
	mv	s1, a1
	li	a0, 0
	li	a1, 0
	li	a2, 0
2:	ld	t1, 0(s1)
	addi	t1, t1, 1
	sd	t1, 0(s1)
	jal	ra, 4f
	lw	t2, 8(s1)
	add	a0, a0, t2
	andi	t3, a0, 1
	beqz	t3, 3f
	addi	a1, a1, 1
3:	addi	a4, a4, -1
	bnez	a4, 2b
	sd	a1, 0(t5)
	sd	a2, 8(t5)
	mv	s1, t6
	mv	ra, t4
	ret
4:	sw	t1, 8(s1)
	addi	a2, a2, 5
	ret
