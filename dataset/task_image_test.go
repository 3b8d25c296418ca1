package dataset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assay-network/assay/task"
)

// imageTask writes four IDX files (the images gzipped, as MNIST ships
// them; the labels plain) and returns the spec and paths by role.
func imageTask(t *testing.T, trainDims, testDims []uint32, trainLabels, testLabels []byte) (task.Spec, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	pixels := func(dims []uint32) []byte {
		n := 1
		for _, d := range dims {
			n *= int(d)
		}
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 7)
		}
		return b
	}
	gz := func(b []byte) []byte {
		var out bytes.Buffer
		zw := gzip.NewWriter(&out)
		zw.Write(b)
		zw.Close()
		return out.Bytes()
	}
	contents := map[string][]byte{
		task.RoleTrainImages: gz(idxBytes(trainDims, pixels(trainDims))),
		task.RoleTrainLabels: idxBytes([]uint32{uint32(len(trainLabels))}, trainLabels),
		task.RoleTestImages:  gz(idxBytes(testDims, pixels(testDims))),
		task.RoleTestLabels:  idxBytes([]uint32{uint32(len(testLabels))}, testLabels),
	}
	paths := map[string]string{}
	var files []task.File
	for _, role := range task.ImageRoles() {
		p := filepath.Join(dir, role)
		if err := os.WriteFile(p, contents[role], 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(contents[role])
		files = append(files, task.File{Role: role, SHA256: hex.EncodeToString(sum[:]), SizeBytes: uint64(len(contents[role])), URLs: []string{"file://" + p}})
		paths[role] = p
	}
	s := task.Spec{Name: "tiny-images", TaskType: task.TypeImage, Dataset: task.Dataset{Format: task.FormatIDX, Files: files},
		Metric: task.MetricAccuracy, Reward: task.Reward{Baseline: task.BaselineChance, Temperature: "1"}, MaxLatencyMS: 100}
	return s, paths
}

func TestLoadTaskImages(t *testing.T) {
	s, paths := imageTask(t, []uint32{4, 2, 3}, []uint32{2, 2, 3}, []byte{7, 0, 3, 7}, []byte{3, 0})
	d, err := LoadTask(s, paths)
	if err != nil {
		t.Fatal(err)
	}
	// Classes are the distinct label bytes in numeric order: 0, 3, 7.
	if strings.Join(d.Schema.Classes, ",") != "0,3,7" || !slices.Equal(d.Y, []int{2, 0, 1, 2, 1, 0}) {
		t.Fatalf("classes %v y %v", d.Schema.Classes, d.Y)
	}
	if len(d.Schema.Features) != 6 || d.Schema.Features[0].Name != "px_0_0" || d.Schema.Features[5].Name != "px_1_2" {
		t.Fatalf("features %+v", d.Schema.Features)
	}
	if !slices.Equal(d.Train, []int{0, 1, 2, 3}) || !slices.Equal(d.Validation, []int{4, 5}) {
		t.Fatalf("split %v / %v: want the files' own", d.Train, d.Validation)
	}
	if d.Row(1)[0] != float64(byte(6*7)) || d.Row(4)[5] != float64(byte(5*7)) {
		t.Fatalf("pixels %v", d.pixels)
	}
	e, err := DeriveEncoder(d)
	if err != nil || e.Columns[0].Scale != 255 {
		t.Fatalf("image encoder %+v %v", e, err)
	}

	d, err = LoadOptions{MaxTrain: 3, MaxValidation: 1}.LoadTask(s, paths)
	if err != nil || d.Len() != 4 || !slices.Equal(d.Validation, []int{3}) || len(d.Schema.Classes) != 3 {
		t.Fatalf("limited: %d rows, validation %v, classes %v, %v", d.Len(), d.Validation, d.Schema.Classes, err)
	}
}

func TestLoadTaskImagesRejects(t *testing.T) {
	cases := []struct {
		name                string
		trainDims, testDims []uint32
		trainL, testL       []byte
		want                string
	}{
		{"shapes differ", []uint32{2, 2, 3}, []uint32{2, 3, 2}, []byte{0, 1}, []byte{0, 1}, "dataset.files: train_images holds images of shape [2 3], test_images of shape [3 2]"},
		{"label count", []uint32{2, 2, 3}, []uint32{2, 2, 3}, []byte{0, 1, 1}, []byte{0, 1}, "train_labels has shape [3]; want [2], one label per image"},
		{"one class", []uint32{2, 2, 3}, []uint32{1, 2, 3}, []byte{4, 4}, []byte{4}, `dataset.files: the label files hold a single class 4`},
		{"flat images", []uint32{6}, []uint32{2, 3}, []byte{0, 1, 1, 0, 1, 0}, []byte{0, 1}, "train_images has shape [6]; want N images"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, paths := imageTask(t, c.trainDims, c.testDims, c.trainL, c.testL)
			if _, err := LoadTask(s, paths); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
	s, paths := imageTask(t, []uint32{2, 1}, []uint32{2, 1}, []byte{0, 1}, []byte{0, 1})
	// A corrupt gzip stream must not load.
	b, _ := os.ReadFile(paths[task.RoleTestImages])
	b[len(b)-5] ^= 0xff
	os.WriteFile(paths[task.RoleTestImages], b, 0o644)
	if _, err := LoadTask(s, paths); err == nil {
		t.Fatal("corrupt gzip loaded")
	}
	delete(paths, task.RoleTestLabels)
	if _, err := LoadTask(s, paths); err == nil || !strings.Contains(err.Error(), `no file for role "test_labels"`) {
		t.Fatalf("error %v", err)
	}
}
