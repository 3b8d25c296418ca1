package daemon

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// NewRegistry is a daemon's private metrics registry, holding the Go
// runtime and process collectors; the daemon registers its own metrics on
// it and serves it with ServeHTTP. The global registry stays unused, so two
// daemons in one test process do not collide.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}
