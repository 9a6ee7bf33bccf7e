package vendors_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// ent renders one entPhysicalTable row: index, class, containedIn, relPos.
func ent(index, class, in, pos int) string {
	p := "1.3.6.1.2.1.47.1.1.1.1."
	return fmt.Sprintf("%s4.%d|2|%d\n%s5.%d|2|%d\n%s6.%d|2|%d\n", p, index, in, p, index, class, p, index, pos)
}

// alias maps an entity to an ifIndex through entAliasMappingIdentifier.
func alias(index, ifIndex int) string {
	return fmt.Sprintf("1.3.6.1.2.1.47.1.3.2.1.2.%d.0|6|1.3.6.1.2.1.2.2.1.1.%d\n", index, ifIndex)
}

const (
	classChassis   = 3
	classContainer = 5
	classModule    = 9
	classPort      = 10
	classStack     = 11
)

// entities decodes base plus ENTITY-MIB rows (sorted by NewWalk) and
// returns each Ethernet port's Module.
func entities(t *testing.T, rows string) (map[string]int, []string) {
	t.Helper()
	s, probs := texts(vendors.Decode(walk(t, base+rows), "x"))
	got := map[string]int{}
	for _, p := range s.Ports {
		got[p.Name] = p.Module
	}
	return got, probs
}

func wantModules(t *testing.T, what string, got map[string]int, want map[string]int) {
	t.Helper()
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %s module %d, want %d", what, name, got[name], w)
		}
	}
}

// stackOf builds a stack (entity 1) of two chassis with the given
// ParentRelPos, each with a fixed module holding two ports: Ethernet1-2
// in chassis 10, Ethernet3-4 in chassis 20.
func stackOf(pos10, pos20 int) string {
	return ent(1, classStack, 0, -1) +
		ent(10, classChassis, 1, pos10) + ent(11, classModule, 10, 1) +
		ent(12, classPort, 11, 1) + ent(13, classPort, 11, 2) +
		ent(20, classChassis, 1, pos20) + ent(21, classModule, 20, 1) +
		ent(22, classPort, 21, 1) + ent(23, classPort, 21, 2) +
		alias(12, 1) + alias(13, 2) + alias(22, 3) + alias(23, 4)
}

func TestModuleStackMembers(t *testing.T) {
	want := map[string]int{"Ethernet1": 1, "Ethernet2": 1, "Ethernet3": 2, "Ethernet4": 2, "Port-Channel10": 0}
	got, probs := entities(t, stackOf(1, 2))
	if len(probs) > 0 {
		t.Errorf("problems: %q", probs)
	}
	wantModules(t, "stack", got, want)

	// members numbered 3 and 5 keep their numbers
	got, _ = entities(t, stackOf(5, 3))
	wantModules(t, "stack 5/3", got, map[string]int{"Ethernet1": 5, "Ethernet3": 3})

	// ParentRelPos unset (0, -1): place among the stack's chassis by index
	got, _ = entities(t, stackOf(0, -1))
	wantModules(t, "stack without positions", got, want)
}

func TestModuleSingleChassis(t *testing.T) {
	// no stack, one module holding all ports: nothing to tell apart
	rows := ent(1, classChassis, 0, -1) + ent(2, classModule, 1, 1) +
		ent(3, classPort, 2, 1) + ent(4, classPort, 2, 2) + ent(5, classPort, 2, 3) +
		alias(3, 1) + alias(4, 2) + alias(5, 3)
	got, probs := entities(t, rows)
	if len(probs) > 0 {
		t.Errorf("problems: %q", probs)
	}
	wantModules(t, "single chassis", got, map[string]int{"Ethernet1": 0, "Ethernet2": 0, "Ethernet3": 0})
}

func TestModuleLineCards(t *testing.T) {
	// chassis 1 with slot containers 2 (slot 3) and 4 (slot 5); the cards
	// sit at position 1 in their slot; plus a card without ports in slot 7.
	rows := ent(1, classChassis, 0, -1) +
		ent(2, classContainer, 1, 3) + ent(3, classModule, 2, 1) +
		ent(4, classContainer, 1, 5) + ent(5, classModule, 4, 1) +
		ent(6, classContainer, 1, 7) + ent(7, classModule, 6, 1) +
		ent(30, classPort, 3, 1) + ent(31, classPort, 3, 2) + ent(50, classPort, 5, 1) +
		alias(30, 1) + alias(31, 2) + alias(50, 3)
	got, _ := entities(t, rows)
	wantModules(t, "line cards", got, map[string]int{"Ethernet1": 3, "Ethernet2": 3, "Ethernet3": 5, "Ethernet4": 0})

	// a card sitting in the chassis itself: its own position
	rows = ent(1, classChassis, 0, -1) + ent(3, classModule, 1, 2) + ent(5, classModule, 1, 4) +
		ent(30, classPort, 3, 1) + ent(50, classPort, 5, 1) + alias(30, 1) + alias(50, 2)
	got, _ = entities(t, rows)
	wantModules(t, "cards in chassis", got, map[string]int{"Ethernet1": 2, "Ethernet2": 4})
}

func TestModuleContainedInLoop(t *testing.T) {
	// 5 and 6 contain each other, 8 contains itself, 9 is 33 levels deep in
	// a chain of containers: the walk up must end.
	rows := ent(5, classModule, 6, 1) + ent(6, classContainer, 5, 1) + ent(7, classPort, 5, 1) +
		ent(8, classContainer, 8, 1) + ent(9, classPort, 8, 1) +
		alias(7, 1) + alias(9, 2)
	rows += ent(100, classChassis, 0, 1)
	for i := 101; i <= 133; i++ {
		rows += ent(i, classContainer, i-1, 1)
	}
	rows += ent(200, classPort, 133, 1) + alias(200, 3)
	w := walk(t, base+rows)
	done := make(chan *topology.Switch, 1)
	go func() {
		s, _ := vendors.Decode(w, "x")
		done <- s
	}()
	select {
	case s := <-done:
		wantModules(t, "loop", modules(s), map[string]int{"Ethernet1": 0, "Ethernet2": 0, "Ethernet3": 0})
	case <-time.After(10 * time.Second):
		t.Fatal("Decode did not return: loop in entPhysicalContainedIn")
	}
}

func TestModuleBadRows(t *testing.T) {
	rows := stackOf(1, 2) + "1.3.6.1.2.1.47.1.1.1.1.5.99|4|chassis\n1.3.6.1.2.1.47.1.3.2.1.2.12|6|1.3.6.1.2.1.2.2.1.1.1\n"
	got, probs := entities(t, rows)
	all := strings.Join(probs, "\n")
	if !strings.Contains(all, "entPhysicalClass.99") || !strings.Contains(all, "entAliasMappingIdentifier.12") || !strings.Contains(all, "line ") {
		t.Errorf("problems do not name the bad rows with lines: %q", probs)
	}
	wantModules(t, "stack with bad rows", got, map[string]int{"Ethernet1": 1, "Ethernet3": 2})
}

func modules(s *topology.Switch) map[string]int {
	m := map[string]int{}
	for _, p := range s.Ports {
		m[p.Name] = p.Module
	}
	return m
}

func countModules(s *topology.Switch) map[int]int {
	n := map[int]int{}
	for _, p := range s.Ports {
		n[p.Module]++
	}
	return n
}

// TestModuleC9600StackWiseVirtual: the Catalyst 9600 SVL pair. Raw rows
// (entPhysicalContainedIn .4, Class .5, ParentRelPos .6):
//
//	1    stack(11)   in 0             "Virtual Stack"
//	2    chassis(3)  in 1, relpos 1   "Switch 1 Chassis"
//	500  chassis(3)  in 1, relpos 2   "Switch 2 Chassis"
//	1110 port in 1061 (container) in 1000 (module, linecard) in 3 (slot) in 2,
//	     alias 1110.0 = ifIndex.4   Twe1/1/0/1
//	3046 port in 3000 (supervisor module) in 9 (slot R0) in 2,
//	     alias 3046.0 = ifIndex.1   Gi0/0
//	2434 port under linecard 2000 in chassis 2, alias = ifIndex.70  Fo1/2/0/19
//	7110 port in 7061 in 7000 (linecard) in 501 (slot) in 500,
//	     alias 7110.0 = ifIndex.100 Twe2/1/0/1
//	8434 port under linecard 8000 in chassis 500, alias = ifIndex.166 Fo2/2/0/19
//
// 35 aliased ports: 18 under Switch 1 (incl. Gi0/0), 17 under Switch 2.
func TestModuleC9600StackWiseVirtual(t *testing.T) {
	s, _ := recording(t, "librenms__iosxe_c9600-svl.snmprec")
	wantModules(t, "c9600-svl", modules(s), map[string]int{
		"Twe1/1/0/1": 1, "Gi0/0": 1, "Fo1/2/0/19": 1,
		"Twe2/1/0/1": 2, "Fo2/2/0/19": 2,
	})
	if n := countModules(s); n[1] != 18 || n[2] != 17 {
		t.Errorf("ports per module %v, want 18 on 1 and 17 on 2", n)
	}
}

// TestModuleCatalyst2960XStack: the 2960-X recording is a 3-member stack:
//
//	1    stack(11) "C29xx Stacking"
//	1001 chassis in 1, relpos 0 (unset) -> first of 1001/2001/3001 = 1
//	2001 chassis in 1, relpos 2;  3001 chassis in 1, relpos 3
//	1010 port in 1002 (module) in 1001, alias ifIndex.10101 Gi1/0/1
//	1062 port in 1061 (container) in 1002 in 1001, alias ifIndex.10152 Gi1/0/52
//	2010 port in 2002 in 2001, alias ifIndex.10601 Gi2/0/1
//	3010 port in 3002 in 3001, alias ifIndex.11101 Gi3/0/1
func TestModuleCatalyst2960XStack(t *testing.T) {
	s, _ := recording(t, "librenms__ios_2960x.snmprec")
	wantModules(t, "2960x", modules(s), map[string]int{"Gi1/0/1": 1, "Gi1/0/52": 1, "Gi2/0/1": 2, "Gi3/0/1": 3})
	if s.STPForwardDelay != 15000 { // 1.3.6.1.2.1.17.2.11.0|2|1500
		t.Errorf("forward delay %d ms, want 15000", s.STPForwardDelay)
	}
}

// TestModuleVOSS8608LineCards: one 8608 chassis (1) with slot containers
// 17-24 (relpos 1-8); cards 37 in 17, 38 in 18, 39 in 19, 40 in 20, 42 in
// 22, each at relpos 1 in its slot; ports mgmt (entity 64, ifIndex 64) on
// 37, mgmt2 (65, ifIndex 128) on 38, 1/1 (192) on 37, 3/1 (320) on 39,
// 6/1 (512) on 42. The module is the slot, as in the port names.
func TestModuleVOSS8608LineCards(t *testing.T) {
	s, _ := recording(t, "librenms__voss_8608.snmprec")
	wantModules(t, "voss_8608", modules(s), map[string]int{"mgmt": 1, "1/1": 1, "mgmt2": 2, "3/1": 3, "6/1": 6})
}

// TestModuleSingleChassisIE3200: an IE-3200 with no stack: chassis 1, one
// module 1000 "Supervisor" (relpos 1) holding all 9 aliased ports (1062
// GigabitEthernet1/3 = ifIndex.3 …): one card tells nothing, every port 0.
// The Arista recording has no entAliasMappingTable: every port 0 too.
func TestModuleSingleChassisRecordings(t *testing.T) {
	s, _ := recording(t, "librenms__iosxe_ie32008t2s-ios17-12.snmprec")
	portNamed(t, s, "Gi1/3")
	if n := countModules(s); len(n) != 1 || n[0] == 0 {
		t.Errorf("ie3200 modules %v, want all 0", n)
	}
	s, _ = recording(t, "librenms__arista_eos.snmprec")
	portNamed(t, s, "Ethernet1")
	if n := countModules(s); len(n) != 1 || n[0] == 0 {
		t.Errorf("arista modules %v, want all 0", n)
	}
}
