package dataset

import (
	"runtime"
	"testing"
)

// BenchmarkLoadTask builds each built-in task's whole dataset (LoadTask:
// read, split, protected column) and reports, beside -benchmem's
// allocations, live-MB: the heap the loaded dataset keeps, which a
// validator holds for its whole life.
func BenchmarkLoadTask(b *testing.B) {
	for _, file := range builtinFiles(b) {
		s, paths := builtinTask(b, file)
		b.Run(s.Name, func(b *testing.B) {
			b.ReportAllocs()
			var d *Dataset
			for range b.N {
				d = nil // the previous one may go before the next is built
				var err error
				if d, err = LoadTask(s, paths); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(d)
			d = nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "live-MB")
		})
	}
}
