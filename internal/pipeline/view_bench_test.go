package pipeline

import (
	"io"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// BenchmarkTopologyView measures bondaudit topology's output side on a site
// read and built once outside the timer: the View made from the Model and
// written as text (the default) and as JSON.
func BenchmarkTopologyView(b *testing.B) {
	site := benchModelSite(b)
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct {
		name  string
		write func(*topology.View, io.Writer) error
	}{
		{"Text", (*topology.View).WriteText},
		{"JSON", (*topology.View).WriteJSON},
	} {
		b.Run(f.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if err := f.write(topology.NewView(m), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}
