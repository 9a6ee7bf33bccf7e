// Package packaging holds the tests of what a release ships beside the
// binary: the systemd units and cron line (here), and packaging/release.sh
// with the .deb it builds (deb_test.go). It has no code of its own.
package packaging

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

const (
	binPath    = "/usr/bin/bondaudit"
	runConfig  = "/etc/bondaudit/run.yaml"
	envFile    = "/etc/bondaudit/bondaudit.env"
	stateDir   = "/var/lib/bondaudit"
	textfile   = "/var/lib/prometheus/node-exporter"
	execStart  = "ExecStart=" + binPath + " run " + runConfig
	envFileSet = "EnvironmentFile=-" + envFile
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// buildBondaudit builds the command into dir, as a user would (CGO off).
func buildBondaudit(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "bondaudit")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/bondaudit/bondaudit/cmd/bondaudit")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// The service is the contract's: a oneshot as its own user, the secrets
// file optional and without an inline comment (systemd takes a comment after
// the path as part of the path: issue 14's README line loaded nothing), the
// run command, and a history folder systemd makes.
func TestServiceIsTheContract(t *testing.T) {
	unit := readFile(t, "bondaudit.service")
	for _, line := range []string{"Type=oneshot", "User=bondaudit", envFileSet, execStart,
		"StateDirectory=bondaudit", "ProtectSystem=strict", "NoNewPrivileges=yes", "ReadWritePaths=-" + textfile} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(line) + `$`).MatchString(unit) {
			t.Errorf("bondaudit.service has no line %q", line)
		}
	}
	for i, line := range strings.Split(unit, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") && strings.Contains(v, "#") {
			t.Errorf("bondaudit.service:%d: %s= carries a comment after its value: systemd reads it as part of the value", i+1, k)
		}
	}
}

// systemd-analyze verify (Debian's systemd) loads the units as systemd
// would, with /usr/bin/bondaudit replaced by a freshly built bondaudit and
// the run config by a file that exists, and must print nothing about them:
// an unknown key, a bad value, a missing executable, a timer whose service
// is wrong all print a line and exit 0. --man=no: the man page the units
// name is not installed here; TestDeb verifies the installed units with it.
func TestUnitsVerify(t *testing.T) {
	analyze := needtool.Need(t, "systemd", "systemd-analyze")
	dir := t.TempDir()
	bin := buildBondaudit(t, dir)
	cfg := filepath.Join(dir, "run.yaml")
	example := "../docs/run.example.yaml" // lane run's; the same file the .deb installs
	if b, err := os.ReadFile(example); err == nil {
		writeFile(t, cfg, string(b), 0o644)
	} else {
		writeFile(t, cfg, "# stand-in: docs/run.example.yaml is not in this tree\n", 0o644)
	}
	service := strings.ReplaceAll(readFile(t, "bondaudit.service"), execStart, "ExecStart="+bin+" run "+cfg)
	if !strings.Contains(service, bin) {
		t.Fatal("no ExecStart line to substitute")
	}
	writeFile(t, filepath.Join(dir, "bondaudit.service"), service, 0o644)
	writeFile(t, filepath.Join(dir, "bondaudit.timer"), readFile(t, "bondaudit.timer"), 0o644)

	verify := func(files ...string) string {
		cmd := exec.Command(analyze, append([]string{"verify", "--man=no"}, files...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("systemd-analyze verify %s: %v", strings.Join(files, " "), err)
		}
		return string(out)
	}
	units := []string{filepath.Join(dir, "bondaudit.service"), filepath.Join(dir, "bondaudit.timer")}
	if out := verify(units...); strings.TrimSpace(out) != "" {
		t.Errorf("systemd-analyze verify printed:\n%s", out)
	}

	// The check can fail: a misspelt key is reported.
	writeFile(t, filepath.Join(dir, "bad", "bondaudit.service"), strings.Replace(service, "ProtectSystem=", "ProtectSytem=", 1), 0o644)
	if out := verify(filepath.Join(dir, "bad", "bondaudit.service")); !strings.Contains(out, "ProtectSytem") {
		t.Errorf("systemd-analyze verify said nothing of a misspelt key: %q", out)
	}
}

// bootResult is what one boot of systemd left: the service's state folder
// and the env dump the stand-in wrote there.
type bootResult struct {
	dump  string
	state string // OUT/state: /var/lib/bondaudit after the run
	exit  string // systemd's exit status: the service's (SuccessAction=exit-force)
	out   string // OUT: state/, textfile/ (the textfile folder after the run)
}

// bootService boots the real systemd as PID 1 (testdata/boot-systemd.sh)
// with the given bondaudit.service and env file (none when env is ""), and
// /usr/bin/bondaudit replaced by a program that writes its arguments,
// environment, user and what it may write into its StateDirectory, then
// runs the real bondaudit (real, when not "") inside the sandbox: demo
// reports into the textfile folder and the state folder.
func bootService(t *testing.T, service, env, real string) bootResult {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: boots systemd as PID 1 of new namespaces over an overlay of /")
	}
	systemd := "/lib/systemd/systemd"
	if _, err := os.Stat(systemd); err != nil {
		needtool.Missing(t, systemd+" not installed (Debian package systemd)")
	}
	needtool.Need(t, "util-linux", "unshare")
	needtool.Need(t, "passwd", "useradd")

	dir := t.TempDir()
	files, units, out, w := filepath.Join(dir, "files"), filepath.Join(dir, "units"), filepath.Join(dir, "out"), filepath.Join(dir, "w")
	for _, d := range []string{files, units, out, w} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The stand-in for bondaudit. ProtectSystem=strict: only the state
	// folder and the textfile folder may be written.
	writeFile(t, filepath.Join(files, binPath), `#!/bin/sh
d=$STATE_DIRECTORY
{
	echo "args: $*"
	echo "id: $(id -un):$(id -gn)"
	for p in "$STATE_DIRECTORY" `+textfile+` /etc/bondaudit /usr/bin /var/tmp; do
		if touch "$p/bondaudit-probe" 2>/dev/null; then echo "writable: $p"; else echo "read-only: $p"; fi
	done
	echo "env:"
	env | sort
	real=/usr/libexec/bondaudit-test/bondaudit
	if [ -x $real ]; then
		$real demo -o `+textfile+`/bondaudit.prom; echo "demo prom: exit $?"
		$real demo -o "$d/report.html"; echo "demo html: exit $?"
	fi
} >"$d/dump.txt" 2>&1
`, 0o755)
	if real != "" {
		writeFile(t, filepath.Join(files, "usr/libexec/bondaudit-test/bondaudit"), readFile(t, real), 0o755)
	}
	if env != "" {
		writeFile(t, filepath.Join(files, envFile), env, 0o640)
	}
	writeFile(t, filepath.Join(files, textfile, ".keep"), "", 0o644)
	writeFile(t, filepath.Join(files, "postinst"), readFile(t, "postinst"), 0o755)
	// What the README asks of the admin for the textfile folder.
	writeFile(t, filepath.Join(files, "setup.sh"), "dpkg-statoverride --update --add root bondaudit 0775 "+textfile+"\n", 0o755)

	writeFile(t, filepath.Join(units, "bondaudit.service"), service, 0o644)
	writeFile(t, filepath.Join(units, "bondaudit.timer"), readFile(t, "bondaudit.timer"), 0o644)
	writeFile(t, filepath.Join(units, "bondaudit.service.d", "exit.conf"),
		"[Unit]\nSuccessAction=exit-force\nFailureAction=exit-force\n", 0o644)
	writeFile(t, filepath.Join(units, "bondaudit-test.target"),
		"[Unit]\nDescription=bondaudit test: start the service\nWants=bondaudit.service\n", 0o644)
	for _, stub := range []string{"sysinit", "basic", "network-online", "timers", "shutdown"} {
		writeFile(t, filepath.Join(units, stub+".target"), "[Unit]\nDescription=stub "+stub+"\n", 0o644)
	}

	harness, err := filepath.Abs("testdata/boot-systemd.sh")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := exec.Command("unshare", "--mount", "--propagation", "private", "sh", harness, w, files, units, out, "60")
	got, err := cmd.CombinedOutput()
	t.Logf("systemd boot: %.1fs, %s", time.Since(start).Seconds(), strings.TrimSpace(string(got)))
	if err != nil {
		t.Fatalf("boot-systemd.sh: %v\n%s", err, got)
	}
	r := bootResult{state: filepath.Join(out, "state")}
	if m := regexp.MustCompile(`systemd exited (\d+)`).FindSubmatch(got); m != nil {
		r.exit = string(m[1])
	}
	if r.exit == "137" {
		t.Fatalf("systemd did not finish within the harness's timeout")
	}
	b, err := os.ReadFile(filepath.Join(r.state, "dump.txt"))
	if err != nil {
		t.Fatalf("the service wrote no dump (%v): it did not run, or not as the unit says", err)
	}
	r.dump = string(b)
	r.out = out
	return r
}

func dumpLines(dump string) map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(dump))
	for sc.Scan() {
		m[sc.Text()] = true
	}
	return m
}

// Issue 14 item 4: the environment file the service names is loaded, by the
// real systemd running the shipped unit (only /usr/bin/bondaudit is a
// stand-in that dumps what it was given). Also: it runs as bondaudit (the
// user the postinst makes), with the run config as argument, and the
// hardening leaves it the history folder and the node_exporter textfile
// folder to write and nothing else.
func TestServiceLoadsEnvironmentFile(t *testing.T) {
	service := readFile(t, "bondaudit.service")
	env := "SNMP_COMMUNITY=s3cret\n# a comment line\nSNMP_V3_AUTH='two words'\n"

	t.Run("loaded", func(t *testing.T) {
		r := bootService(t, service, env, buildBondaudit(t, t.TempDir()))
		if r.exit != "0" {
			t.Errorf("systemd exited %s, want 0 (the service succeeded)", r.exit)
		}
		lines := dumpLines(r.dump)
		for _, want := range []string{
			"args: run " + runConfig,
			"id: bondaudit:bondaudit",
			"SNMP_COMMUNITY=s3cret",
			"SNMP_V3_AUTH=two words",
			"STATE_DIRECTORY=" + stateDir,
			"writable: " + stateDir,
			"writable: " + textfile,
			"read-only: /etc/bondaudit",
			"read-only: /usr/bin",
			"demo prom: exit 0", // the real bondaudit, in the sandbox
			"demo html: exit 0",
		} {
			if !lines[want] {
				t.Errorf("the service's dump has no line %q:\n%s", want, r.dump)
			}
		}
		st, err := os.Stat(r.state)
		if err != nil || st.Mode().Perm() != 0o750 {
			t.Errorf("state folder: %v, mode %v; want 0750", err, st.Mode())
		}
		// node_exporter runs as its own user: the .prom file must be
		// readable by others (UMask=0022), and it is a real report.
		prom := filepath.Join(r.out, "textfile", "bondaudit.prom")
		if st, err := os.Stat(prom); err != nil || st.Mode().Perm() != 0o644 {
			t.Errorf("textfile %s: %v, mode %v; want 0644", prom, err, st)
		} else if !strings.Contains(readFile(t, prom), "# TYPE bondaudit_") {
			t.Errorf("bondaudit.prom is no Prometheus report")
		}
		if html := filepath.Join(r.state, "report.html"); !strings.Contains(readFile(t, html), "<!DOCTYPE html>") {
			t.Errorf("report.html is no HTML report")
		}
	})

	t.Run("optional", func(t *testing.T) {
		r := bootService(t, service, "", "")
		lines := dumpLines(r.dump)
		if !lines["args: run "+runConfig] || strings.Contains(r.dump, "SNMP_COMMUNITY") {
			t.Errorf("without an env file the service must still run, with no secrets:\n%s", r.dump)
		}
	})

	// The test can fail: issue 14's README line (a comment after the path)
	// loads nothing, and this boot shows it.
	t.Run("inline comment loads nothing", func(t *testing.T) {
		bad := strings.Replace(service, envFileSet, envFileSet+" # secrets for targets.yaml", 1)
		r := bootService(t, bad, env, "")
		if strings.Contains(r.dump, "SNMP_COMMUNITY") {
			t.Errorf("a comment after EnvironmentFile's path still loaded the file: the check cannot tell:\n%s", r.dump)
		}
	})
}

// The cron line: five time fields, the bondaudit user, and a command that
// loads the same secrets file. It is run here as cron would (/bin/sh -c, as
// bondaudit) with a stand-in bondaudit on PATH's place.
func TestCronLine(t *testing.T) {
	var entry string
	for _, line := range strings.Split(readFile(t, "bondaudit.cron"), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			if entry != "" {
				t.Fatalf("more than one entry: %q, %q", entry, line)
			}
			entry = line
		}
	}
	f := strings.Fields(entry)
	if len(f) < 7 || f[5] != "bondaudit" {
		t.Fatalf("cron entry %q: want 5 time fields, the user bondaudit, a command", entry)
	}
	command := strings.TrimSpace(strings.SplitN(entry, " bondaudit ", 2)[1])
	if !strings.Contains(command, envFile) || !strings.Contains(command, binPath+" run "+runConfig) {
		t.Fatalf("cron command %q: must load %s and run %s run %s", command, envFile, binPath, runConfig)
	}

	dir := t.TempDir()
	dump := filepath.Join(dir, "dump.txt")
	stub := filepath.Join(dir, "bondaudit")
	writeFile(t, stub, "#!/bin/sh\n{ echo \"args: $*\"; env; } >"+dump+"\n", 0o755)
	env := filepath.Join(dir, "bondaudit.env")
	writeFile(t, env, "SNMP_COMMUNITY=s3cret\n# a comment line\nSNMP_V3_AUTH='two words'\n", 0o600)
	local := strings.NewReplacer(envFile, env, binPath, stub).Replace(command)
	cmd := exec.Command("/bin/sh", "-c", local)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir} // cron's environment is as bare
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cron command: %v\n%s", err, out)
	}
	lines := dumpLines(readFile(t, dump))
	for _, want := range []string{"args: run " + runConfig, "SNMP_COMMUNITY=s3cret", "SNMP_V3_AUTH=two words"} {
		if !lines[want] {
			t.Errorf("cron run: no %q in\n%s", want, readFile(t, dump))
		}
	}
	// Without the file the command still runs.
	os.Remove(env)
	os.Remove(dump)
	if out, err := exec.Command("/bin/sh", "-c", local).CombinedOutput(); err != nil {
		t.Fatalf("cron command without the env file: %v\n%s", err, out)
	}
	if lines := dumpLines(readFile(t, dump)); !lines["args: run "+runConfig] {
		t.Error("without the env file the cron command did not run bondaudit")
	}
}

// The README's "Scheduled runs and drift" shows an excerpt of the service
// and the cron line: every line of the excerpt is a line of the unit, and
// the cron entry is the file's, so neither drifts from what ships.
func TestReadmeShowsTheseFiles(t *testing.T) {
	readme := readFile(t, "../README.md")
	i := strings.Index(readme, "```ini\n# packaging/bondaudit.service")
	if i < 0 {
		t.Fatal("README: no ini block quoting packaging/bondaudit.service")
	}
	block, _, _ := strings.Cut(readme[i+len("```ini\n"):], "```")
	service := strings.Split(readFile(t, "bondaudit.service"), "\n")
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		if !strings.HasPrefix(line, "#") && !slices.Contains(service, line) {
			t.Errorf("README's excerpt line %q is not in bondaudit.service", line)
		}
	}
	var entry string
	for _, line := range strings.Split(readFile(t, "bondaudit.cron"), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			entry = line
		}
	}
	if !strings.Contains(readme, "\n```\n"+entry+"\n```\n") {
		t.Errorf("README does not show the cron entry of bondaudit.cron:\n%s", entry)
	}
}
