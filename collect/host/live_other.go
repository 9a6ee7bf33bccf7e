//go:build !linux

package host

import (
	"context"

	"github.com/bondaudit/bondaudit/topology"
)

// Collect is Linux only.
func Collect(ctx context.Context, opt CollectOptions) (*topology.Host, []string, error) {
	return nil, nil, ErrLinuxOnly
}
