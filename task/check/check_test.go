package check

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/task/fetch"
)

// toyCSV is 40 rows: label yes on 30, no on 10; sex f on 16, m on 24.
func toyCSV() []byte {
	var b bytes.Buffer
	b.WriteString("age,sex,income,label\n")
	for i := range 40 {
		sex, label := "m", "yes"
		if i%5 < 2 {
			sex = "f"
		}
		if i%4 == 0 {
			label = "no"
		}
		fmt.Fprintf(&b, "%d,%s,%d,%s\n", 20+i, sex, 1000+37*i, label)
	}
	return b.Bytes()
}

// toyTask names data served at url.
func toyTask(data []byte, url string) task.Spec {
	sum := sha256.Sum256(data)
	return task.Spec{
		Name: "toy", TaskType: task.TypeTabular,
		Dataset: task.Dataset{Format: task.FormatCSV, Files: []task.File{{
			Role: task.RoleData, SHA256: hex.EncodeToString(sum[:]), SizeBytes: uint64(len(data)), URLs: []string{url}}}},
		Label:  task.Label{Column: "label", Positive: "yes"},
		Split:  task.Split{Seed: 1, ValidationFraction: "0.2"},
		Metric: task.MetricAccuracy,
		Fairness: &task.Fairness{
			Protected: task.Protected{Column: "sex",
				Groups:         map[string]task.Group{"female": {Values: []string{"f"}}, "male": {Values: []string{"m"}}},
				Counterfactual: map[string]string{"f": "m", "m": "f"}},
			BiasMetric: task.BiasCounterfactualFlip, BiasWeight: "0.5"},
		Reward:       task.Reward{Baseline: task.BaselineMajority, Temperature: "0.05"},
		MaxLatencyMS: 1000,
	}
}

// serve serves data on loopback and counts the requests.
func serve(t *testing.T, data []byte) (string, *int) {
	t.Helper()
	n := new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		*n++
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/toy.csv", n
}

func TestRunReportsWhatItFound(t *testing.T) {
	data := toyCSV()
	url, hits := serve(t, data)
	s := toyTask(data, url)
	dir := t.TempDir()
	r, err := Run(context.Background(), s, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := s.Hash()
	if r.TaskHash != hash || r.Name != "toy" || r.Rows != 40 || r.Train != 32 || r.Validation != 8 || r.Features != 3 {
		t.Fatalf("report %+v", r)
	}
	if fmt.Sprint(r.Classes) != "[{no 10} {yes 30}]" || r.Protected != "sex" || fmt.Sprint(r.Groups) != "[{female 16} {male 24}]" {
		t.Fatalf("classes %v, protected %q groups %v", r.Classes, r.Protected, r.Groups)
	}
	// 0.2 of each class: 6 yes and 2 no in validation.
	if r.Majority != "yes" || r.MajorityRate != 0.75 {
		t.Fatalf("majority %q %v", r.Majority, r.MajorityRate)
	}
	if len(r.Files) != 1 || r.Files[0].From != url || r.Files[0].Path != fetch.Path(dir, s.Dataset.Files[0].SHA256) {
		t.Fatalf("files %+v", r.Files)
	}
	var out strings.Builder
	r.Write(&out)
	for _, want := range []string{"task hash " + hash, "rows: 40 (train 32, validation 8), 3 features",
		"classes of label: no 10, yes 30", "protected sex, groups: female 16, male 24", `majority baseline: "yes" on 75.0%`, "fetched from " + url} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	// Again: from the cache, no request.
	r, err = Run(context.Background(), s, Options{DataDir: dir})
	if err != nil || r.Files[0].From != "" || *hits != 1 {
		t.Fatalf("second run: %v, from %q, %d requests", err, r.Files[0].From, *hits)
	}
}

// A file in another cache (the one `make data` fills) is used before the
// task's URLs, copied in through the hash check.
func TestRunUsesCachesFirst(t *testing.T) {
	data := toyCSV()
	s := toyTask(data, "http://127.0.0.1:1/unreachable.csv")
	other := t.TempDir()
	sha := s.Dataset.Files[0].SHA256
	if err := os.MkdirAll(filepath.Join(other, "sha256"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fetch.Path(other, sha), data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), s, Options{DataDir: t.TempDir(), Caches: []string{other}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Files[0].From, "file://") {
		t.Fatalf("from %q, want the other cache", r.Files[0].From)
	}
	// The cache is the data dir itself: nothing to copy, no mirror added.
	if _, err := Run(context.Background(), s, Options{DataDir: other, Caches: []string{other}}); err != nil {
		t.Fatal(err)
	}
}

func TestRunRefusesBadTasks(t *testing.T) {
	good := toyCSV()
	for _, tc := range []struct {
		name string
		data []byte
		mut  func(*task.Spec)
		want string
	}{
		{"missing label column", good, func(s *task.Spec) { s.Label.Column = "outcome" }, `task: label.column: no column "outcome" in the data`},
		{"protected column the data lacks", good, func(s *task.Spec) { s.Fairness.Protected.Column = "race" }, `task: fairness.protected.column: no feature "race"`},
		{"single-class label", bytes.ReplaceAll(good, []byte(",no\n"), []byte(",yes\n")), nil, `task: label.column: "label" has a single class "yes"`},
		{"group covering no row", good, func(s *task.Spec) { protectAge(s, "100", "100") }, `task: fairness.protected.groups["old"]: covers no row`},
		{"row in no group", good, func(s *task.Spec) { protectAge(s, "45", "50") }, `task: fairness.protected.groups: data row 25 (from 0): `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, _ := serve(t, tc.data)
			s := toyTask(tc.data, url)
			if tc.mut != nil {
				tc.mut(&s)
			}
			_, err := Run(context.Background(), s, Options{DataDir: t.TempDir()})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") || !errors.Is(err, task.ErrInvalid) {
				t.Fatalf("error %q, want one line containing %q matching task.ErrInvalid", err, tc.want)
			}
		})
	}
}

// protectAge protects the numeric age column (20…59 in toyCSV): young
// below 30, middle [30, middleMax), old from oldMin on.
func protectAge(s *task.Spec, middleMax, oldMin string) {
	s.Fairness.Protected = task.Protected{Column: "age",
		Groups: map[string]task.Group{"young": {Range: &task.Range{Max: "30"}}, "middle": {Range: &task.Range{Min: "30", Max: middleMax}},
			"old": {Range: &task.Range{Min: oldMin}}},
		Counterfactual: map[string]string{"young": "35", "middle": "25", "old": "25"}}
}

// Bytes that are not the task's: both hashes and the URL named, nothing
// left in the cache.
func TestRunRefusesWrongHash(t *testing.T) {
	data := toyCSV()
	served := bytes.Replace(data, []byte("20,"), []byte("21,"), 1) // same size, other bytes
	url, _ := serve(t, served)
	s := toyTask(data, url)
	dir := t.TempDir()
	_, err := Run(context.Background(), s, Options{DataDir: dir})
	got := sha256.Sum256(served)
	for _, want := range []string{url, s.Dataset.Files[0].SHA256, hex.EncodeToString(got[:])} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v lacks %q", err, want)
		}
	}
	if !errors.Is(err, fetch.ErrHash) {
		t.Fatalf("error %v is not fetch.ErrHash", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "sha256", "*"))
	if len(left) != 0 {
		t.Fatalf("cache holds %v", left)
	}
}
