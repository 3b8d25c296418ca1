// Package task is the task spec v2 of DESIGN §11: a subnet creator's whole
// classification task as data (files by content hash, how to read, split,
// score and judge them), its strict parser, its shape checks and its
// canonical hash.
//
// The chain imports this package, so it uses the standard library only and
// is deterministic: decimals are parsed exactly (math/big.Rat, never
// float64), no map is ranged where the order could reach an output or an
// error (keys are sorted first), no clock, no goroutines. Checks that need
// the data (columns exist, groups cover rows) live in package dataset.
//
// # Canonical form and task hash
//
// A spec's task hash is the lowercase hex SHA-256 of its canonical JSON,
// which another language can rebuild from any valid task file:
//
//  1. Fill defaults: reward.copy_epsilon "0.01" when absent; for format
//     "csv", dataset.csv.delimiter "," and dataset.csv.header true when
//     absent.
//  2. Normalise decimal strings (validation_fraction, bias_weight,
//     temperature, copy_epsilon, range bounds, numeric counterfactual
//     values): drop trailing zeros of the fraction and then a bare point,
//     and write "-0" as "0" ("0.50" → "0.5", "2.0" → "2").
//  3. Sort the lists whose order carries no meaning: dataset.files by role,
//     ignore, and each nominal group's values. urls keep their order (it is
//     the mirror preference).
//  4. Omit every optional member that is absent or empty: an empty string,
//     list or object, and the objects dataset.csv (non-csv formats), label,
//     split (idx) and fairness when the task has none. Whole numbers (seed,
//     size_bytes, max_latency_ms) and dataset.csv.header are always written.
//  5. Serialise as RFC 8785 (JSON Canonicalization Scheme): object members
//     sorted by their names' UTF-16 code units, no whitespace, strings
//     escaped minimally (\" \\ \b \f \n \r \t, other controls as \u00xx
//     lowercase, everything else as UTF-8), whole numbers in plain decimal
//     (all are below 2^53, so JCS's number rule gives the same digits).
//
// TestCanonicalVector pins the bytes and hash of a small spec; its hash can
// be checked with `printf '%s' "$canonical" | sha256sum`.
package task
