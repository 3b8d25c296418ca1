// Package yuma implements Yuma 3 consensus (DESIGN §5) as a pure,
// deterministic function over one subnet: Epoch takes stakes, previous
// permits, sparse weight rows, previous bonds, registration and last-update
// blocks and the hyperparameters, and returns consensus, validator trust,
// incentive, dividends, new bonds, new permits and the validator-side
// emission shares. It imports the standard library only.
//
// # Fixed point
//
// All arithmetic is Fixed: a signed 64-bit integer with 32 fractional bits
// (the layout of subtensor's I32F32), with math/bits 128-bit intermediates
// for products and quotients. There is no float64, no map iteration and no
// goroutine in the epoch path, so every platform computes the same bits.
//
// Why not math.LegacyDec: measured on the same 2-core machine, LegacyDec
// (big.Int, 18 decimals) costs about 310 ns and 5 allocations for
// acc += x·y and 366 ns / 6 allocations for x·y/y, against 3–8 ns and
// 4–10 ns with no allocation for Fixed (BenchmarkFixed*; the range is load
// on the shared machine): 35–100× slower. An epoch performs roughly ten
// such operations per non-zero weight, so the 16k weights of a 256-UID
// subnet with 64 dense validator rows would take ~50 ms and ~100k
// allocations with LegacyDec, against ~1.1 ms and 27 allocations here.
//
// Precision: the resolution is 2^-32 ≈ 2.3e-10. Products and quotients round
// toward zero (error < 1 ulp, never above the exact value, so values in
// [0, 1] stay in [0, 1]); additions are exact. Normalised vectors round each
// element toward zero, so they sum to 1 within n·2^-32 (< 1e-6 for 4096
// UIDs) and never above 1; equal inputs give equal outputs. The logistic
// function of liquid alpha is computed in Q2.62 with a table-driven
// exponential and is within 2 ulps of the exact value. Against subtensor's
// published Yuma 3 vectors (printed to 4 decimals) the largest difference is
// 4.6e-5 for dividends and 5.0e-5 for bonds.
//
// # Cost
//
// Weights and bonds are sparse rows; one epoch costs O(n·log n + nnz) for n
// UIDs and nnz non-zero weights and bonds (consensus is a weighted
// quickselect per column, expected linear). Measured (go test -bench Epoch,
// liquid alpha on, steady-state bonds, unloaded):
//
//	UIDs × validators, weights/row   ns/op         allocs/op
//	256 × 64, dense (255)            ~1.1 ms       27
//	1024 × 128, dense (1023)         ~10 ms        27
//	4096 × 256, dense (4095)         ~60–75 ms     27
//	4096 × 256, sparse (32)          ~0.75–1.0 ms  27
//
// 8× the weights costs about 8–9× the time: growth is linear in nnz.
//
// Allocate splits an integer amount by Fixed shares exactly (largest
// remainder), for the chain's payouts.
package yuma
