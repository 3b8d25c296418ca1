// Package check runs on a task and its data every check a miner or a
// validator runs before it can work on the task, so that a subnet owner
// learns about a broken task before the chain takes the lock (DESIGN §11:
// the chain sees only the spec's shape). `assayd tx subnet validate-task`
// and `register-subnet` call it; miners and validators can call it too.
//
// The checks are the ones package dataset makes when it builds a task's
// dataset (LoadTask: the label and ignored columns exist, the label has at
// least two classes and each declared class has a row, the protected
// column is a feature and every row falls in exactly one group, every
// group covers a row, the split leaves rows on both sides) plus the
// encoder a miner and a validator derive. Nothing is re-implemented here:
// this package fetches, loads and counts.
package check

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/fetch"
)

// Options says where the task's files go and where else they may already be.
type Options struct {
	// DataDir holds the content-addressed cache the files are fetched into
	// (<DataDir>/sha256/<hex>).
	DataDir string
	// Caches are further data directories whose sha256/ caches are tried
	// before the task's URLs, e.g. the one `make data` fills. A file found
	// there is copied into DataDir through the same size and hash check
	// as a download; they are never written to.
	Caches []string
	// Client fetches http(s) URLs (nil: http.DefaultClient).
	Client *http.Client
}

// File is one of the task's files and where it came from.
type File struct {
	Role   string
	SHA256 string
	Bytes  uint64
	Path   string
	// From is the URL it was fetched from, empty when DataDir had it.
	From string
}

// Count is a named number of rows: a class or a protected group.
type Count struct {
	Name string
	Rows int
}

// Report is what the checks found.
type Report struct {
	Name     string
	TaskType string
	TaskHash string
	Files    []File

	Rows, Train, Validation int
	Features                int
	Label                   string
	// Classes counts every row's class, in class order.
	Classes []Count
	// Protected is the protected column (empty without a fairness
	// section); Groups counts every row's group, in group order.
	Protected string
	Groups    []Count
	// Majority is the most frequent class of the validation split and
	// MajorityRate its share there: the accuracy of the majority baseline.
	Majority     string
	MajorityRate float64
}

// Run fetches the task's files and runs the checks. A failure is one line:
// a fetch error names the URL and both hashes (and nothing enters the
// cache); a data error is a *task.FieldError naming the spec field.
func Run(ctx context.Context, s task.Spec, o Options) (*Report, error) {
	_, r, err := Load(ctx, s, o)
	return r, err
}

// Load is Run that also returns the task's dataset, for a miner to train
// on and a validator to sample.
func Load(ctx context.Context, s task.Spec, o Options) (*dataset.Dataset, *Report, error) {
	if o.DataDir == "" {
		return nil, nil, errors.New("check: no data directory")
	}
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	hash, err := s.Hash()
	if err != nil {
		return nil, nil, err
	}
	r := &Report{Name: s.Name, TaskType: s.TaskType, TaskHash: hash}
	paths := make(map[string]string, len(s.Dataset.Files))
	f := &fetch.Fetcher{DataDir: o.DataDir, Client: o.Client}
	for _, file := range s.Dataset.Files {
		got, err := f.Get(ctx, withCaches(file, o))
		if err != nil {
			return nil, nil, fmt.Errorf("%s file: %w", file.Role, err)
		}
		from := got.URL
		if !got.Fetched {
			from = ""
		}
		r.Files = append(r.Files, File{Role: file.Role, SHA256: file.SHA256, Bytes: file.SizeBytes, Path: got.Path, From: from})
		paths[file.Role] = got.Path
	}
	d, err := dataset.LoadTask(s, paths)
	if err != nil {
		return nil, nil, err
	}
	if _, err := dataset.DeriveEncoder(d); err != nil {
		return nil, nil, fmt.Errorf("deriving the encoder: %w", err)
	}
	r.count(d)
	return d, r, nil
}

// withCaches puts the caches holding the file in front of its mirrors.
func withCaches(file task.File, o Options) task.File {
	dst, _ := filepath.Abs(fetch.Path(o.DataDir, file.SHA256))
	var urls []string
	for _, dir := range o.Caches {
		p, err := filepath.Abs(fetch.Path(dir, file.SHA256))
		if err != nil || p == dst {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			continue
		}
		urls = append(urls, (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String())
	}
	file.URLs = append(urls, file.URLs...)
	return file
}

func (r *Report) count(d *dataset.Dataset) {
	r.Rows, r.Train, r.Validation = len(d.Y), len(d.Train), len(d.Validation)
	r.Features, r.Label = len(d.Schema.Features), d.Schema.Label
	classes := make([]int, len(d.Schema.Classes))
	for _, y := range d.Y {
		classes[y]++
	}
	for k, name := range d.Schema.Classes {
		r.Classes = append(r.Classes, Count{Name: name, Rows: classes[k]})
	}
	best := 0
	val := d.ClassCounts(d.Validation)
	for k, n := range val {
		if n > val[best] {
			best = k
		}
	}
	r.Majority, r.MajorityRate = d.Schema.Classes[best], d.MajorityRate(d.Validation)
	if pc := d.ProtectedColumn; pc != nil {
		r.Protected = pc.Name
		// LoadTask has checked every row is in a group.
		counts, _ := d.ProtectedCounts()
		for g, name := range pc.Groups {
			r.Groups = append(r.Groups, Count{Name: name, Rows: counts[g]})
		}
	}
}
