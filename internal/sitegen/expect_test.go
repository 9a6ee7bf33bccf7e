package sitegen

import (
	"strings"
	"testing"
)

func TestCheckFindings(t *testing.T) {
	faults := []byte("host\tfault\trules\n" +
		"srv00002\t" + FaultXORNoLAG + "\tstale,column\n" +
		"srv00003\t" + FaultABOnLACP + "\t\n")
	exact := []Reported{
		{Rule: "static.switch-not-aggregated", Host: "srv00002"},
		{Rule: "independent.switch-aggregated", Host: "srv00003"},
	}
	if err := CheckFindings(faults, exact); err != nil {
		t.Errorf("exact findings: %v", err)
	}
	cases := []struct {
		name     string
		findings []Reported
		want     string
	}{
		{"a planted fault not reported", exact[:1], "ab-on-lacp-lag fault: independent.switch-aggregated not reported: 1 hosts (srv00003)"},
		{"a healthy host reported", append(exact, Reported{Rule: "bond.single-slave", Host: "srv00001"}), "healthy host reported bond.single-slave: 1 hosts (srv00001)"},
		{"an unexpected rule on a faulty host", append(exact, Reported{Rule: "lacp.churn", Host: "srv00002"}), "xor-no-lag fault: unexpected lacp.churn: 1 hosts (srv00002)"},
		{"a finding on a switch", append(exact, Reported{Rule: "switch.mlag-inconsistent", Switch: "leaf001a"}), "1 findings on no host (switch.mlag-inconsistent on switch leaf001a)"},
	}
	for _, c := range cases {
		err := CheckFindings(faults, c.findings)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	if err := CheckFindings([]byte("host\tfault\trules\nsrv1\tno-such-kind\t\n"), nil); err == nil {
		t.Error("an unknown fault kind was accepted")
	}
	for _, k := range []string{FaultNoLAG, FaultStaticLAG, FaultABOnLACP, FaultXORNoLAG, FaultSplit, FaultHalfMLAG} {
		if len(ExpectedRules(k)) == 0 {
			t.Errorf("fault kind %s expects no rule", k)
		}
	}
}
