package main

import (
	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/rules"
)

// registerFilter adds --host, --switch and --rule (repeatable globs, as
// policy waivers take them) to a command; what says what they select.
func registerFilter(cmd *cobra.Command, f *rules.Filter, what string) {
	cmd.Flags().StringArrayVar(&f.Hosts, "host", nil, what+" about hosts matching this glob (* and ?; repeatable)")
	cmd.Flags().StringArrayVar(&f.Switches, "switch", nil, what+" about switches matching this glob (repeatable)")
	cmd.Flags().StringArrayVar(&f.Rules, "rule", nil, what+" of rules matching this glob, e.g. 'lacp.*' (repeatable)")
}
