package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/internal/runjob"
)

// hostFlags registers collect hosts' flags (collect site has them too)
// into q.
func hostFlags(cmd *cobra.Command, q *pipeline.HostsRequest) {
	fl := cmd.Flags()
	fl.StringVarP(&q.Inventory, "inventory", "i", "", "inventory: Ansible INI or YAML, or a plain list of [user@]host[:port], one per line")
	fl.StringVar(&q.Limit, "limit", "", "only the hosts PATTERN selects (Ansible patterns: names, groups, globs, ~regex; a,b or a:b unions, a:&b intersections, a:!b exclusions)")
	fl.StringVarP(&q.SSHConfig, "ssh-config", "F", "", "ssh_config FILE for HostName, User, Port, IdentityFile, ProxyJump (default ~/.ssh/config when it exists; none: no file)")
	fl.IntVar(&q.Concurrency, "concurrency", 64, "hosts collected at once")
	fl.StringArrayVar(&q.KnownHosts, "known-hosts", nil, "known_hosts FILE (repeatable; default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts); --accept-new appends to the first")
	fl.BoolVar(&q.AcceptNew, "accept-new", false, "record the key of a host known_hosts does not know (a changed key is always refused)")
	fl.BoolVar(&q.Become, "become", false, "run the commands that need root (lldpcli, ovs-appctl, teamdctl) through sudo -n")
	fl.StringVar(&q.Remote, "remote-bondaudit", "", "run PATH collect host -o - on each host (bondaudit installed there) and store its snapshot")
	fl.StringVarP(&q.User, "user", "u", "", "log in as USER where the inventory names none (default: $USER)")
	fl.DurationVar(&q.Timeout, "timeout", 2*time.Minute, "deadline of one host: connects, retries and commands")
	fl.DurationVar(&q.ConnectTimeout, "connect-timeout", 10*time.Second, "deadline of one TCP connect and SSH handshake")
}

func (a *app) collectHostsCmd() *cobra.Command {
	var q pipeline.HostsRequest
	var out string
	cmd := &cobra.Command{
		Use:   "hosts -i INVENTORY -o DIR",
		Short: "Collect raw captures from Linux hosts over SSH, one folder per host",
		Long:  help("collect-hosts"),
		Example: "  bondaudit collect hosts -i hosts.txt -o site/hosts\n" +
			"  bondaudit collect hosts -i hosts.txt -o site/hosts --limit 'web*' --accept-new --become",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if q.Inventory == "" || out == "" {
				return failed(fmt.Errorf("collect hosts needs -i INVENTORY and -o DIR"))
			}
			// Interrupted: hosts in flight stop, none is marked
			// unreachable, old captures stay.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return result(pipeline.HostsOutcome(a.env().CollectHosts(ctx, &q, out)))
		},
	}
	hostFlags(cmd, &q)
	cmd.Flags().StringVarP(&out, "output", "o", "", "folder for the captures (a site's hosts/ folder)")
	return cmd
}

func (a *app) collectSiteCmd() *cobra.Command {
	var q pipeline.HostsRequest
	var targets, out string
	var swConcurrency int
	cmd := &cobra.Command{
		Use:     "site -i INVENTORY -t TARGETS.yaml -o SITE",
		Short:   "Collect hosts over SSH and poll switches over SNMP at once, into one site",
		Long:    help("collect-site"),
		Example: "  bondaudit collect site -i hosts.txt -t targets.yaml -o site && bondaudit audit site",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if q.Inventory == "" || targets == "" || out == "" {
				return failed(fmt.Errorf("collect site needs -i INVENTORY, -t TARGETS.yaml and -o SITE"))
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return result(a.env().CollectSite(ctx, &q, targets, swConcurrency, out))
		},
	}
	hostFlags(cmd, &q)
	cmd.Flags().StringVarP(&targets, "targets", "t", "", "targets file (YAML) of the switches, as collect switches")
	cmd.Flags().StringVarP(&out, "output", "o", "", "the site folder: hosts/ and switches/ are filled")
	cmd.Flags().IntVar(&swConcurrency, "switch-concurrency", 16, "switches polled at once")
	return cmd
}

// runCollectHosts is bondaudit run's collect step for hosts: {inventory: …}.
func (a *app) runCollectHosts(ctx context.Context, h *runjob.Hosts, dir string) (int, int, error) {
	q := &pipeline.HostsRequest{Inventory: h.Inventory, Limit: h.Limit, Concurrency: h.Concurrency, Become: h.Become,
		Timeout: 2 * time.Minute, ConnectTimeout: 10 * time.Second}
	if h.KnownHosts != "" {
		q.KnownHosts = []string{h.KnownHosts}
	}
	e := a.env()
	e.Terminal = false
	return e.CollectHosts(ctx, q, dir)
}
