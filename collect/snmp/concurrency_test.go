package snmp_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/snmplab"
)

// BenchmarkPoll200Switches polls 200 agents on loopback ports with 50
// workers and compares the wall time with one switch polled alone × 200/50
// (target: within 1.5×). Agents answer each varbind 10 ms late, as a busy
// switch CPU does, so the time is the agents' and the poller's overlap is
// what is measured. 100 snmpd processes listen on 2 ports each; targets are
// ordered round-robin over the processes so that the 50 switches polled at
// once are served by different (single-threaded) agents.
func BenchmarkPoll200Switches(b *testing.B) {
	path := fixture(&testing.T{}, "librenms__routeros_crs317.snmprec")
	const agents, portsEach, workers = 100, 2, 50
	as := make([]*snmplab.Agent, agents)
	for i := range as {
		as[i] = snmplab.StartAgent(b, snmplab.AgentOptions{Walk: path, Ports: portsEach, Delay: 10 * time.Millisecond})
	}
	target := func(name string, a *snmplab.Agent, port uint16) snmp.Target {
		return snmp.Target{Name: name, Deadline: time.Minute, Options: snmp.Options{Address: a.Addr, Port: port, Version: snmp.V2c,
			Community: snmp.NewSecret(a.Community), Timeout: 5 * time.Second, Retries: 1, MaxRepetitions: 25}}
	}
	var targets []snmp.Target
	for p := 0; p < portsEach; p++ {
		for i, a := range as {
			targets = append(targets, target(fmt.Sprintf("sw%03d", p*agents+i), a, a.Ports[p]))
		}
	}
	// One switch alone (warm: its backend processes are running).
	one := []snmp.Target{targets[0]}
	snmp.Poll(context.Background(), one, snmp.PollOptions{})
	start := time.Now()
	if r := snmp.Poll(context.Background(), one, snmp.PollOptions{}); r[0].Err != nil {
		b.Fatal(r[0].Err)
	}
	single := time.Since(start)
	// Warm every backend once so process start-up is not measured.
	snmp.Poll(context.Background(), targets, snmp.PollOptions{Concurrency: workers})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rs := snmp.Poll(context.Background(), targets, snmp.PollOptions{Concurrency: workers})
		for _, r := range rs {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.Target.Name, r.Err)
			}
		}
	}
	b.StopTimer()
	per := b.Elapsed() / time.Duration(b.N)
	ideal := single * time.Duration(len(targets)) / workers
	b.ReportMetric(single.Seconds(), "single-s")
	b.ReportMetric(per.Seconds(), "all-s")
	b.ReportMetric(per.Seconds()/ideal.Seconds(), "x-ideal")
}
