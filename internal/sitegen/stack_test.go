package sitegen

import "testing"

// TestAddStackPort: stack members number their ports apart (Gi1/0/k,
// Gi2/0/k, ifIndex 10100+500*(member-1)+k) while LLDP and bridge port
// numbers run over the whole stack.
func TestAddStackPort(t *testing.T) {
	s := &Site{}
	sw := s.NewSwitch(SwitchSpec{Name: "stack1", Vendor: CiscoIOS, ID: 1})
	got := []*Port{sw.AddStackPort(1), sw.AddStackPort(2), sw.AddStackPort(1), sw.AddStackPort(2)}
	want := []struct {
		name           string
		ifIndex, local int
	}{{"Gi1/0/1", 10101, 1}, {"Gi2/0/1", 10601, 2}, {"Gi1/0/2", 10102, 3}, {"Gi2/0/2", 10602, 4}}
	for i, p := range got {
		if p.Name != want[i].name || p.IfIndex != want[i].ifIndex || p.LLDPPortNum != want[i].local || p.BasePort != want[i].local {
			t.Errorf("port %d: %s ifIndex %d lldp %d base %d, want %+v", i, p.Name, p.IfIndex, p.LLDPPortNum, p.BasePort, want[i])
		}
	}
}
