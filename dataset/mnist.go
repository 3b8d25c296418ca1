package dataset

import (
	"fmt"
	"path/filepath"
	"strconv"
)

// MNIST's image geometry.
const (
	MNISTRows = 28
	MNISTCols = 28
)

// LoadMNIST reads the four MNIST IDX files from dir. Its split is the
// official one: the 60,000 training images train, the 10,000 test images
// validate. maxTrain and maxVal, when positive, keep only the first rows of
// each part (tests and quick runs; 70,000 rows of float64 pixels are 440 MB).
func LoadMNIST(dir string, maxTrain, maxVal int) (*Dataset, error) {
	trainX, trainY, err := readMNISTPart(dir, "train", maxTrain)
	if err != nil {
		return nil, err
	}
	valX, valY, err := readMNISTPart(dir, "t10k", maxVal)
	if err != nil {
		return nil, err
	}
	d := &Dataset{ID: MNIST, Task: TaskImage}
	d.Schema.Label = "digit"
	for k := 0; k < 10; k++ {
		d.Schema.Classes = append(d.Schema.Classes, strconv.Itoa(k))
	}
	d.Schema.Features = make([]Feature, MNISTRows*MNISTCols)
	for i := range d.Schema.Features {
		d.Schema.Features[i] = Feature{Name: fmt.Sprintf("px_%d_%d", i/MNISTCols, i%MNISTCols), Kind: Numeric}
	}
	d.X = append(trainX, valX...)
	d.Y = append(trainY, valY...)
	for i := range trainX {
		d.Train = append(d.Train, i)
	}
	for i := range valX {
		d.Validation = append(d.Validation, len(trainX)+i)
	}
	return d, nil
}

func readMNISTPart(dir, part string, limit int) ([][]float64, []int, error) {
	imgPath := filepath.Join(dir, part+"-images-idx3-ubyte.gz")
	lblPath := filepath.Join(dir, part+"-labels-idx1-ubyte.gz")
	img, err := ReadIDXFile(imgPath)
	if err != nil {
		return nil, nil, err
	}
	lbl, err := ReadIDXFile(lblPath)
	if err != nil {
		return nil, nil, err
	}
	if len(img.Dims) != 3 || img.Dims[1] != MNISTRows || img.Dims[2] != MNISTCols {
		return nil, nil, fmt.Errorf("%s: shape %v, want [N %d %d]", imgPath, img.Dims, MNISTRows, MNISTCols)
	}
	if len(lbl.Dims) != 1 || lbl.Dims[0] != img.Dims[0] {
		return nil, nil, fmt.Errorf("%s: shape %v, want [%d] (one label per image)", lblPath, lbl.Dims, img.Dims[0])
	}
	n := img.Dims[0]
	if limit > 0 && limit < n {
		n = limit
	}
	const px = MNISTRows * MNISTCols
	// One backing array for all rows: fewer allocations, better locality.
	flat := make([]float64, n*px)
	x := make([][]float64, n)
	y := make([]int, n)
	for i := 0; i < n; i++ {
		row := flat[i*px : (i+1)*px : (i+1)*px]
		for j, b := range img.Data[i*px : (i+1)*px] {
			row[j] = float64(b)
		}
		x[i] = row
		if l := lbl.Data[i]; l > 9 {
			return nil, nil, fmt.Errorf("%s: label %d of item %d not a digit", lblPath, l, i)
		} else {
			y[i] = int(l)
		}
	}
	return x, y, nil
}
