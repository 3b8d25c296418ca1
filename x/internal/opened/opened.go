// Package opened reads and writes many values of one collections.Map
// through a store opened once. A collections.Map opens the module's store
// on every call (a context unwrap and a gas-metered wrapper, two
// allocations); an epoch reads and writes hundreds of values of a few maps,
// so it opens each once. The keys, values, gas and errors are the Map's.
package opened

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
)

// Map is m over a store opened for one context; it must not outlive it.
type Map[K, V any] struct {
	m  collections.Map[K, V]
	kv store.KVStore
}

// Open opens svc's store for ctx (svc must be the store m was built on).
func Open[K, V any](ctx context.Context, svc store.KVStoreService, m collections.Map[K, V]) Map[K, V] {
	return Map[K, V]{m: m, kv: svc.OpenKVStore(ctx)}
}

func (o Map[K, V]) key(k K) ([]byte, error) {
	return collections.EncodeKeyWithPrefix(o.m.GetPrefix(), o.m.KeyCodec(), k)
}

// Set is collections.Map.Set.
func (o Map[K, V]) Set(k K, v V) error {
	key, err := o.key(k)
	if err != nil {
		return err
	}
	bz, err := o.m.ValueCodec().Encode(v)
	if err != nil {
		return fmt.Errorf("%w: value encode: %w", collections.ErrEncoding, err)
	}
	return o.kv.Set(key, bz)
}

// Remove is collections.Map.Remove.
func (o Map[K, V]) Remove(k K) error {
	key, err := o.key(k)
	if err != nil {
		return err
	}
	return o.kv.Delete(key)
}

// Find is collections.Map.Get, with found false instead of ErrNotFound
// (whose message formats the key, which costs more than the read).
func (o Map[K, V]) Find(k K) (v V, found bool, err error) {
	key, err := o.key(k)
	if err != nil {
		return v, false, err
	}
	bz, err := o.kv.Get(key)
	if err != nil || bz == nil {
		return v, false, err
	}
	if v, err = o.m.ValueCodec().Decode(bz); err != nil {
		return v, false, fmt.Errorf("%w: value decode: %w", collections.ErrEncoding, err)
	}
	return v, true, nil
}
