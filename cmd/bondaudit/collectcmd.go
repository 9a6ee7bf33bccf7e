package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/collect/snmp"
)

func (a *app) collectCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Collect snapshots from live switches (SNMP), Linux hosts (SSH) or this host (kernel)",
	}
	cmd.AddCommand(a.collectSwitchesCmd(), a.collectHostCmd(), a.collectHostsCmd(), a.collectSiteCmd())
	return cmd
}

func (a *app) collectSwitchesCmd() *cobra.Command {
	var targets, outDir string
	var concurrency int
	var adhoc snmp.AdHoc
	cmd := &cobra.Command{
		Use:   "switches (-t TARGETS.yaml | --address HOST[:PORT] …) -o DIR",
		Short: "Poll switches over SNMP and write one snapshot per switch",
		Long:  help("collect-switches"),
		Example: "  bondaudit collect switches -t targets.yaml -o site/switches\n" +
			"  SNMP_COMMUNITY=… bondaudit collect switches -t targets.yaml -o site/switches --concurrency 50\n" +
			"  bondaudit collect switches --address 10.0.0.11 -v 2c -c env:SNMP_COMMUNITY -o site/switches\n" +
			"  bondaudit collect switches --address leaf1a:1161 -v 3 -u bondaudit -l authPriv -a SHA-256 -A file:/etc/bondaudit/auth.key -x AES -X env:SNMP_PRIV -o site/switches",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (targets == "") == (len(adhoc.Addresses) == 0) || outDir == "" {
				return failed(fmt.Errorf("collect switches needs -t TARGETS.yaml or --address HOST[:PORT] (one of them), and -o DIR"))
			}
			return result(a.env().CollectSwitches(cmd.Context(), targets, adhoc, outDir, concurrency))
		},
	}
	cmd.Flags().StringVarP(&targets, "targets", "t", "", "targets file (YAML): switches, settings, credential references")
	cmd.Flags().StringVarP(&outDir, "output", "o", "", "folder for the snapshots (a site's switches/ folder)")
	cmd.Flags().IntVar(&concurrency, "concurrency", 16, "switches polled at once")
	fl := cmd.Flags()
	fl.StringArrayVar(&adhoc.Addresses, "address", nil, "poll this switch without a targets file: HOST, HOST:PORT or [IPv6]:PORT (repeatable, or comma-separated)")
	fl.StringVar(&adhoc.Name, "name", "", "with one --address: the snapshot's switch name (default: the address)")
	fl.StringVarP(&adhoc.Version, "version", "v", "", "with --address: SNMP version 1, 2c or 3 (default 2c, or 3 with -u)")
	fl.StringVarP(&adhoc.Community, "community", "c", "", "with --address, v1/v2c: the community, as env:VAR, file:PATH or the value itself")
	fl.StringVarP(&adhoc.User, "user", "u", "", "with --address, v3: the USM user")
	fl.StringVarP(&adhoc.Level, "level", "l", "", "with --address, v3: noAuthNoPriv, authNoPriv or authPriv (default from -a/-x)")
	fl.StringVarP(&adhoc.AuthProto, "auth-protocol", "a", "", "with --address, v3: MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512")
	fl.StringVarP(&adhoc.AuthPass, "auth-passphrase", "A", "", "with --address, v3: the authentication passphrase, as env:VAR, file:PATH or the value itself")
	fl.StringVarP(&adhoc.PrivProto, "priv-protocol", "x", "", "with --address, v3: DES, AES, AES-192 or AES-256")
	fl.StringVarP(&adhoc.PrivPass, "priv-passphrase", "X", "", "with --address, v3: the privacy passphrase, as env:VAR, file:PATH or the value itself")
	return cmd
}

func (a *app) collectHostCmd() *cobra.Command {
	var out, pcap, name, lldpdSocket string
	var listen time.Duration
	cmd := &cobra.Command{
		Use:     "host [-o FILE] [--name NAME] [--listen DURATION] [--pcap FILE] [--lldpd-socket PATH]",
		Short:   "Snapshot this Linux host: bonds, slaves, bridges, VLANs, neighbours",
		Long:    help("collect-host"),
		Example: "  bondaudit collect host -o site/hosts/$(hostname).json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("name") && (name == "" || strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") || strings.TrimSpace(name) != name) {
				return failed(fmt.Errorf("--name %q: want a host name (it names the snapshot and, as hosts/NAME.json, its file): no slashes, no leading dot or space", name))
			}
			return result(false, a.env().CollectHost(cmd.Context(), host.CollectOptions{Now: a.now, Listen: listen, Pcap: pcap, Name: name, LLDPSocket: lldpdSocket}, out))
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the snapshot to FILE (atomically) instead of stdout")
	cmd.Flags().DurationVar(&listen, "listen", host.DefaultListen, "listen at most this long on every bond slave for LLDP/CDP/LACPDUs (the default covers two slow-rate LACPDU intervals and one CDP interval; it ends early once every slave has heard LLDP or CDP and a LACPDU; 0 skips; needs CAP_NET_RAW)")
	cmd.Flags().StringVar(&name, "name", "", "the snapshot's host name (default: this host's hostname); use the name the switches' LLDP tables and your inventory know")
	cmd.Flags().StringVar(&lldpdSocket, "lldpd-socket", "", "ask the lldpd listening on this control socket (lldpd -u PATH) for neighbours (default: lldpcli's, /run/lldpd.socket)")
	cmd.Flags().StringVar(&pcap, "pcap", "", "read LLDP/CDP/LACPDUs from a capture (tcpdump -i any -w FILE 'ether proto 0x88cc or ether proto 0x8809 or ether dst 01:00:0c:cc:cc:cc')")
	return cmd
}
