package main

// TestREADME runs the README. Its conventions, so the README can keep
// changing and stay true:
//
//   - Every ```sh block whose first line is a bondaudit command is run, line
//     by line (a line ending in \ continues), each with sh -c, in order, in
//     one temporary working folder prepared with `bondaudit demo --export
//     site` (so examples name the site ./site). The built binary is on PATH
//     as bondaudit. A bondaudit command may exit 0 or 1 (1 is "findings");
//     any other command must exit 0.
//   - A ``` block whose first line is `$ bondaudit …` is a command and its
//     output: the command is run the same way and what it prints (stdout,
//     then stderr) must be the rest of the block. A block right after a line
//     `<!-- output of: bondaudit … -->` (invisible when rendered: for
//     ```mermaid and the like) is the output of that command. A line "..."
//     in shown output stands for any number of lines. Dates and times are
//     masked on both sides, trailing blanks ignored.
//   - Paths under /etc/bondaudit/, /var/lib/ and /var/log/ are redirected
//     into the test's folder (their parent folders are made), so the
//     README can name the real places.
//   - A block whose first line is a comment naming such a path
//     (`# /etc/bondaudit/run.yaml`) is that file: it is written there, with
//     the paths in it redirected too, before the blocks after it run.
//   - For collect switches and audit --targets, the test starts real snmpd
//     agents (internal/snmplab) serving the demo's four switches and writes
//     targets.yaml (in the working folder and as /etc/bondaudit/targets.yaml)
//     naming them, with the community in SNMP_COMMUNITY, as the README's
//     targets example does.
//   - `bondaudit demo --export site` itself runs in an empty folder of its
//     own (the working folder already has ./site).
//   - A block that cannot run here says so visibly, in a comment line of the
//     block: `# not run by the README test: REASON`, where REASON is one of
//     readmeExclusions below (each says why it cannot run in a test); the
//     test lists every exclusion it honours and fails on an unknown reason.

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/snmplab"
)

// readmeExclusions are the reasons a README block may give for not being
// run, and why each is a real limit of a test rather than a broken example.
var readmeExclusions = map[string]string{
	"needs root and a host with bonds": "collect host snapshots the machine it runs on: a test machine has no bonds to show, and listening for LACPDUs needs CAP_NET_RAW",
	"installs system files":            "the command writes outside any folder a test may touch (/etc/systemd, /usr/bin) or needs systemd running as PID 1",
	"fetches from the network":         "tests reach nothing beyond loopback",
}

// mdBlock is one fenced block of the README.
type mdBlock struct {
	line   int    // README line of the opening fence
	lang   string // info string
	lines  []string
	output string // the command of a preceding <!-- output of: … -->
}

var outputOf = regexp.MustCompile(`^<!--\s*output of:\s*(.+?)\s*-->\s*$`)

func readmeBlocks(t *testing.T, text string) []mdBlock {
	t.Helper()
	var blocks []mdBlock
	var cur *mdBlock
	prev := "" // last non-blank line before a fence
	for i, l := range strings.Split(text, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &mdBlock{line: i + 1, lang: strings.TrimSpace(strings.TrimPrefix(l, "```"))}
			if m := outputOf.FindStringSubmatch(prev); m != nil {
				cur.output = m[1]
			}
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
		if strings.TrimSpace(l) != "" {
			prev = l
		}
	}
	if cur != nil {
		t.Errorf("README.md:%d: a ``` block is never closed", cur.line)
	}
	return blocks
}

// readmeRun runs the README's commands.
type readmeRun struct {
	t       *testing.T
	work    string // working folder, with ./site
	root    string // where /etc/bondaudit, /var/lib, /var/log lead
	env     []string
	targets bool // snmpd agents and targets.yaml are up
}

// readmeFile is the first line of a block that is a file: "# PATH".
var readmeFile = regexp.MustCompile(`^#\s*((?:/etc/bondaudit/|/var/lib/|/var/log/)\S+)\s*$`)

var redirected = regexp.MustCompile(`(^|[\s="'])(/etc/bondaudit/|/var/lib/|/var/log/)(\S*)`)

// redirect points the README's system paths into the test's folder.
func (r *readmeRun) redirect(cmd string) string {
	return redirected.ReplaceAllStringFunc(cmd, func(m string) string {
		sm := redirected.FindStringSubmatch(m)
		p := filepath.Join(r.root, sm[2], strings.Trim(sm[3], `"'`))
		os.MkdirAll(filepath.Dir(p), 0o755)
		return sm[1] + filepath.Join(r.root, sm[2]) + "/" + sm[3]
	})
}

// startSwitches serves the demo's switches from real snmpd agents and
// writes the targets file naming them, once.
func (r *readmeRun) startSwitches() {
	if r.targets {
		return
	}
	r.targets = true
	const community = "readme-community"
	var y strings.Builder
	y.WriteString("defaults:\n  community: {env: SNMP_COMMUNITY}\n  timeout: 3s\n  deadline: 1m\ntargets:\n")
	for _, name := range []string{"access2", "leaf1a", "leaf1b", "leaf2"} {
		a := snmplab.StartAgent(r.t, snmplab.AgentOptions{Walk: demoWalk(name), Community: community})
		fmt.Fprintf(&y, "  - {name: %s, address: 127.0.0.1, port: %d}\n", name, a.Port)
	}
	for _, p := range []string{filepath.Join(r.work, "targets.yaml"), filepath.Join(r.root, "etc", "bondaudit", "targets.yaml")} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(y.String()), 0o600); err != nil {
			r.t.Fatal(err)
		}
	}
	r.env = append(r.env, "SNMP_COMMUNITY="+community)
}

// run runs one command line with sh -c; dir "" is the working folder.
func (r *readmeRun) run(cmd, dir string) (out string, code int, err error) {
	if strings.Contains(cmd, "collect switches") || strings.Contains(cmd, "--targets") {
		r.startSwitches()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, "sh", "-c", r.redirect(cmd))
	c.Dir = cmp.Or(dir, r.work)
	c.Env = r.env
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	err = c.Run()
	code = c.ProcessState.ExitCode()
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after 2 minutes")
	} else if _, ok := err.(*exec.ExitError); ok {
		err = nil
	}
	return stdout.String() + stderr.String(), code, err
}

// commands joins continued lines; blank lines are dropped, comment lines
// kept out.
func commands(b mdBlock) (cmds []string, lines []int) {
	var cur strings.Builder
	start := 0
	for i, l := range b.lines {
		if cur.Len() == 0 {
			if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
				continue
			}
			start = b.line + 1 + i
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\") + " ")
			continue
		}
		cur.WriteString(l)
		cmds, lines = append(cmds, cur.String()), append(lines, start)
		cur.Reset()
	}
	if cur.Len() > 0 {
		cmds, lines = append(cmds, cur.String()), append(lines, start)
	}
	return cmds, lines
}

var readmeDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?( ?UTC|Z|[+-]\d{2}:?\d{2})?)?`)

// normalise masks dates and drops trailing blanks and trailing empty lines.
func normalise(s string) []string {
	lines := strings.Split(readmeDate.ReplaceAllString(s, "<DATE>"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// matchLines matches output against shown lines where "..." is any run of
// lines. It returns -1 on a match, else the index of the shown line where
// a greedy reading first disagrees (for the message).
func matchLines(shown, got []string) int {
	memo := map[[2]int]bool{}
	var match func(i, j int) bool
	match = func(i, j int) bool {
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		var ok bool
		switch {
		case i == len(shown):
			ok = j == len(got)
		case shown[i] == "...":
			for jj := j; jj <= len(got) && !ok; jj++ {
				ok = match(i+1, jj)
			}
		default:
			ok = j < len(got) && shown[i] == got[j] && match(i+1, j+1)
		}
		memo[k] = ok
		return ok
	}
	if match(0, 0) {
		return -1
	}
	j := 0
	for i := 0; i < len(shown); i++ {
		if shown[i] == "..." {
			if i+1 < len(shown) {
				if n := slices.Index(got[min(j, len(got)):], shown[i+1]); n >= 0 {
					j += n
					continue
				}
				return i + 1
			}
			return -1
		}
		if j >= len(got) || shown[i] != got[j] {
			return i
		}
		j++
	}
	return len(shown)
}

func TestREADME(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	bin := sharedBinary(t)
	dir := t.TempDir()
	r := &readmeRun{t: t, work: filepath.Join(dir, "work"), root: filepath.Join(dir, "root")}
	os.MkdirAll(r.work, 0o755)
	r.env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "TZ=UTC", "LC_ALL=C.UTF-8")
	const prepare = "bondaudit demo --export site"
	if out, code, err := r.run(prepare, ""); err != nil || code != 0 {
		t.Fatalf("preparing the working folder with %q: exit %d, %v\n%s", prepare, code, err, out)
	}
	how := "(README test: each line runs with sh -c in a folder prepared with `" + prepare + "`, bondaudit on PATH; see the top of cmd/bondaudit/readme_test.go)"
	ran, compared := 0, 0
	for _, blk := range readmeBlocks(t, string(b)) {
		first := ""
		if len(blk.lines) > 0 {
			first = strings.TrimSpace(blk.lines[0])
		}
		if m := readmeFile.FindStringSubmatch(first); m != nil {
			p := filepath.Join(r.root, m[1])
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(r.redirect(strings.Join(blk.lines, "\n"))+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("README.md:%d: written as %s", blk.line, m[1])
			continue
		}
		switch {
		case blk.lang == "sh" && strings.HasPrefix(first, "bondaudit "):
			if reason, ok := excluded(blk); ok {
				if _, known := readmeExclusions[reason]; !known {
					t.Errorf("README.md:%d: block excluded for %q, which is not a reason the README test knows (readmeExclusions in cmd/bondaudit/readme_test.go): run it, or add the reason there with why no test can run it", blk.line, reason)
				} else {
					t.Logf("README.md:%d: not run: %s (%s)", blk.line, reason, readmeExclusions[reason])
				}
				continue
			}
			cmds, lines := commands(blk)
			for i, c := range cmds {
				ran++
				out, code, err := r.run(c, "")
				isOurs := strings.HasPrefix(strings.TrimSpace(c), "bondaudit ")
				if err != nil || code > 1 || (!isOurs && code != 0) {
					t.Errorf("README.md:%d (```sh block at line %d): `%s` exited %d%s; output:\n%s\n%s", lines[i], blk.line, c, code, errText(err), indent(out), how)
				}
			}
		case blk.output != "" || (strings.HasPrefix(first, "$ bondaudit ") && (blk.lang == "" || blk.lang == "console" || blk.lang == "text")):
			cmd, shown, shownAt := blk.output, blk.lines, blk.line+1
			if cmd == "" {
				cmd, shown, shownAt = strings.TrimPrefix(first, "$ "), blk.lines[1:], blk.line+2
			}
			compared++
			dirFor := ""
			if strings.TrimSpace(cmd) == prepare {
				dirFor = t.TempDir()
			}
			out, code, err := r.run(cmd, dirFor)
			if err != nil || code > 1 {
				t.Errorf("README.md:%d: `%s` (whose output the block shows) exited %d%s; output:\n%s\n%s", blk.line, cmd, code, errText(err), indent(out), how)
				continue
			}
			want, got := normalise(strings.Join(shown, "\n")), normalise(out)
			if i := matchLines(want, got); i >= 0 {
				wantLine := "(end of the block)"
				if i < len(want) {
					wantLine = fmt.Sprintf("%q", want[i])
				}
				t.Errorf("README.md:%d: the output shown for `%s` is not what it prints now: README line %d, %s, does not match.\n"+
					"It prints now (dates masked as <DATE>; a line \"...\" in the README stands for any lines):\n%s\n%s",
					blk.line, cmd, shownAt+i, wantLine, indent(strings.Join(got, "\n")), how)
			}
		}
	}
	if ran == 0 || compared == 0 {
		t.Errorf("the README test ran %d commands and compared %d outputs: the README lost its examples, or the test its way of finding them", ran, compared)
	}
	t.Logf("ran %d README commands, compared %d outputs", ran, compared)
}

// excluded returns the reason of a `# not run by the README test: REASON`
// line in a block.
func excluded(b mdBlock) (string, bool) {
	for _, l := range b.lines {
		if _, reason, ok := strings.Cut(l, "# not run by the README test:"); ok {
			return strings.TrimSpace(reason), true
		}
	}
	return "", false
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return " (" + err.Error() + ")"
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// TestREADMEMatchLines: the output comparison's "..." and its message.
func TestREADMEMatchLines(t *testing.T) {
	for _, c := range []struct {
		shown, got string
		want       int
	}{
		{"a\nb", "a\nb", -1},
		{"a\n...\nd", "a\nb\nc\nd", -1},
		{"a\n...", "a\nb", -1},
		{"...\nc", "a\nb\nc", -1},
		{"a\nb", "a\nc", 1},
		{"a\n...\nd", "a\nb\nc", 2},
		{"a", "a\nb", 1},
	} {
		if got := matchLines(strings.Split(c.shown, "\n"), strings.Split(c.got, "\n")); got != c.want {
			t.Errorf("%q vs %q: %d, want %d", c.shown, c.got, got, c.want)
		}
	}
	if readmeFile.FindStringSubmatch("# /etc/bondaudit/run.yaml") == nil || readmeFile.FindStringSubmatch("# /etc/systemd/system/bondaudit.service") != nil {
		t.Error("readmeFile: a block naming /etc/bondaudit/run.yaml is a file, one naming /etc/systemd is not")
	}
	r := &readmeRun{root: t.TempDir()}
	if got := r.redirect("bondaudit run /etc/bondaudit/run.yaml -o /var/lib/x/y.prom"); got != "bondaudit run "+r.root+"/etc/bondaudit/run.yaml -o "+r.root+"/var/lib/x/y.prom" {
		t.Errorf("redirect: %s", got)
	}
	if got := normalise("site demo, 2026-12-03 14:20 UTC  \nat 2026-12-03T14:20:05Z\n\n"); strings.Join(got, "|") != "site demo, <DATE>|at <DATE>" {
		t.Errorf("normalise: %q", got)
	}
}
