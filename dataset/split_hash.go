package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"
	"slices"
)

// SplitByHash is the task spec's split (DESIGN §11), defined so that any
// language reproduces it: within each class, rows are ranked by
//
//	sha256(uint64_be(seed) ‖ uint64_be(row index))
//
// (row index in the file from 0, data rows only), digests compared as
// bytes, ascending; the first ValidationCount(n_class, fraction) rows of
// each class are validation, the rest training. y holds each row's class
// index in [0, classes). Both lists come back sorted by row index.
// Cost: one SHA-256 per row and a sort per class.
func SplitByHash(y []int, classes int, seed uint64, fraction *big.Rat) (train, val []int, err error) {
	if fraction == nil || fraction.Sign() <= 0 || fraction.Cmp(big.NewRat(1, 1)) >= 0 {
		return nil, nil, fmt.Errorf("dataset: validation fraction %v not in (0, 1)", fraction)
	}
	byClass := make([][]int, classes)
	for i, c := range y {
		if c < 0 || c >= classes {
			return nil, nil, fmt.Errorf("dataset: row %d has class %d, not in [0, %d)", i, c, classes)
		}
		byClass[c] = append(byClass[c], i)
	}
	digests := make([][sha256.Size]byte, len(y))
	var msg [16]byte
	binary.BigEndian.PutUint64(msg[:8], seed)
	for i := range y {
		binary.BigEndian.PutUint64(msg[8:], uint64(i))
		digests[i] = sha256.Sum256(msg[:])
	}
	for _, rows := range byClass {
		slices.SortFunc(rows, func(a, b int) int { return bytes.Compare(digests[a][:], digests[b][:]) })
		k := ValidationCount(len(rows), fraction)
		val = append(val, rows[:k]...)
		train = append(train, rows[k:]...)
	}
	slices.Sort(train)
	slices.Sort(val)
	return train, val, nil
}

// ValidationCount is floor(fraction × n + 1/2), computed exactly: the
// number of a class's n rows that go to validation.
func ValidationCount(n int, fraction *big.Rat) int {
	// (2·num·n + den) div (2·den), all non-negative, so Quo floors.
	num := new(big.Int).Mul(fraction.Num(), big.NewInt(int64(n)))
	num.Lsh(num, 1).Add(num, fraction.Denom())
	den := new(big.Int).Lsh(fraction.Denom(), 1)
	return int(num.Quo(num, den).Int64())
}
