// Package atomicfile replaces a file so that a crash leaves either the old
// or the new content, never a torn one: a temp file in the same directory,
// fsync, rename, fsync of the directory. The validator's state and the
// CLI's stored weight commits use it: a torn file loses a salt, and with it
// the reveal.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data, creating its directory (mode 0700) if
// needed. The file has mode 0600: it may hold a salt not yet revealed.
func Write(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename this is a no-op
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
