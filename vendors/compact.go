package vendors

import (
	"github.com/bondaudit/bondaudit/topology"
)

// compact shrinks a decoded switch once its decoders are done: it is kept
// for the whole audit (400 of them at 10k hosts). Its ports, LAGs,
// neighbours and FDB entries were appended one by one, which leaves up to
// half of a slice unused; each is copied to its length. (The strings its
// rows repeat are held once already: see decoder.text and decoder.mac.)
func compact(s *topology.Switch) {
	s.Ports = fit(s.Ports)
	s.LAGs = fit(s.LAGs)
	s.Neighbours = fit(s.Neighbours)
	s.FDB = fit(s.FDB)
}

// fit returns s, or a copy of it exactly as long when more than an eighth
// of its capacity is unused.
func fit[T any](s []T) []T {
	if cap(s)-len(s) <= cap(s)/8 {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}
