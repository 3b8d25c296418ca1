package dataset

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-network/assay/task"
)

// loadImages builds an image task's dataset from its four IDX files: the
// train files are the training split, the test files the validation split
// (DESIGN §11). Each image is one row of numeric pixel features named
// px_<i>_<j>… by position; the classes are the distinct label bytes of
// both label files in numeric order, named in decimal.
func (o LoadOptions) loadImages(paths map[string]string) (*Dataset, error) {
	for _, role := range task.ImageRoles() {
		if paths[role] == "" {
			return nil, fmt.Errorf("dataset: no file for role %q", role)
		}
	}
	train, err := readImagePart(paths, task.RoleTrainImages, task.RoleTrainLabels)
	if err != nil {
		return nil, err
	}
	test, err := readImagePart(paths, task.RoleTestImages, task.RoleTestLabels)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(train.images.Dims[1:], test.images.Dims[1:]) {
		return nil, specErr("dataset.files", "%s holds images of shape %v, %s of shape %v; both need one shape",
			task.RoleTrainImages, train.images.Dims[1:], task.RoleTestImages, test.images.Dims[1:])
	}
	var present [256]bool
	for _, l := range append(slices.Clone(train.labels.Data), test.labels.Data...) {
		present[l] = true
	}
	classOf := make([]int, 256)
	d := &Dataset{}
	for v, ok := range present {
		if ok {
			classOf[v] = len(d.Schema.Classes)
			d.Schema.Classes = append(d.Schema.Classes, strconv.Itoa(v))
		}
	}
	if len(d.Schema.Classes) < 2 {
		return nil, specErr("dataset.files", "the label files hold a single class %s; a classification task needs at least 2", strings.Join(d.Schema.Classes, ""))
	}
	d.Schema.Label = "label"
	d.Schema.Features = pixelFeatures(train.images.Dims[1:])
	nTrain := limit(train.rows(), o.MaxTrain)
	nTest := limit(test.rows(), o.MaxValidation)
	d.width = len(d.Schema.Features)
	d.pixels = make([]byte, 0, (nTrain+nTest)*d.width)
	for _, part := range []struct {
		p *imagePart
		n int
	}{{train, nTrain}, {test, nTest}} {
		d.pixels = append(d.pixels, part.p.images.Data[:part.n*d.width]...)
		for _, l := range part.p.labels.Data[:part.n] {
			d.Y = append(d.Y, classOf[l])
		}
	}
	for i := range nTrain + nTest {
		if i < nTrain {
			d.Train = append(d.Train, i)
		} else {
			d.Validation = append(d.Validation, i)
		}
	}
	return d, nil
}

type imagePart struct {
	images, labels *IDX
}

func (p *imagePart) rows() int { return p.images.Dims[0] }

func limit(n, max int) int {
	if max > 0 && max < n {
		return max
	}
	return n
}

// readImagePart reads one images file (N × …) and its labels file (N).
func readImagePart(paths map[string]string, imagesRole, labelsRole string) (*imagePart, error) {
	p := &imagePart{}
	for _, f := range []struct {
		role string
		dst  **IDX
	}{{imagesRole, &p.images}, {labelsRole, &p.labels}} {
		path := paths[f.role]
		err := readData(path, func(r io.Reader) error {
			var err error
			*f.dst, err = ReadIDX(r, f.role+" file "+path)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if len(p.images.Dims) < 2 {
		return nil, fmt.Errorf("dataset: %s has shape %v; want N images of at least one dimension", imagesRole, p.images.Dims)
	}
	if len(p.labels.Dims) != 1 || p.labels.Dims[0] != p.images.Dims[0] {
		return nil, fmt.Errorf("dataset: %s has shape %v; want [%d], one label per image of %s", labelsRole, p.labels.Dims, p.images.Dims[0], imagesRole)
	}
	return p, nil
}

// pixelFeatures names each pixel px_<index>_<index>… by its position in an
// image of the given shape (MNIST's 28×28: px_0_0 … px_27_27).
func pixelFeatures(shape []int) []Feature {
	n := 1
	for _, d := range shape {
		n *= d
	}
	out := make([]Feature, n)
	pos := make([]int, len(shape))
	var b strings.Builder
	for i := range out {
		b.Reset()
		b.WriteString("px")
		for _, p := range pos {
			b.WriteByte('_')
			b.WriteString(strconv.Itoa(p))
		}
		out[i] = Feature{Name: b.String(), Kind: Numeric}
		for k := len(pos) - 1; k >= 0; k-- { // row-major increment
			if pos[k]++; pos[k] < shape[k] {
				break
			}
			pos[k] = 0
		}
	}
	return out
}
