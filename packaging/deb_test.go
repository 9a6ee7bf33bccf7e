package packaging

import (
	"bufio"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// Issue 14 item 5: packaging/release.sh builds the release of this
// checkout's HEAD (both architectures), and the amd64 .deb installs with
// dpkg -i on a throw-away copy of this machine's root (testdata/deb-install.sh:
// an overlay over /, gone with the test), where bondaudit --version shows
// the stamped version, man bondaudit renders and lists every command, the
// completions and units are in place (and the installed units pass
// systemd-analyze verify, man page included), and dpkg -r / --purge take it
// all away again.
func TestDeb(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: installs the .deb with dpkg -i on an overlay of / in a private mount namespace")
	}
	git := needtool.Need(t, "git", "git")
	needtool.Need(t, "dpkg", "dpkg")
	needtool.Need(t, "man-db", "man")
	needtool.Need(t, "systemd", "systemd-analyze")
	needtool.Need(t, "util-linux", "unshare")
	head, err := exec.Command(git, "rev-parse", "HEAD").Output()
	if err != nil {
		needtool.Missing(t, "not a git checkout: release.sh builds a commit")
	}
	commit := strings.TrimSpace(string(head))

	dist := t.TempDir()
	start := time.Now()
	cmd := exec.Command("./release.sh", "-o", dist)
	out, err := cmd.CombinedOutput()
	t.Logf("release.sh: %.1fs\n%s", time.Since(start).Seconds(), out)
	if err != nil {
		t.Fatalf("release.sh: %v", err)
	}

	// SHA256SUMS names every file and each sum is right.
	sums := readFile(t, filepath.Join(dist, "SHA256SUMS"))
	var named []string
	for _, line := range strings.Split(strings.TrimSpace(sums), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", line)
		}
		named = append(named, name)
		h := sha256.Sum256([]byte(readFile(t, filepath.Join(dist, name))))
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("SHA256SUMS: %s does not match", name)
		}
	}
	entries, _ := os.ReadDir(dist)
	for _, e := range entries {
		if e.Name() != "SHA256SUMS" && !slices.Contains(named, e.Name()) {
			t.Errorf("%s is not in SHA256SUMS", e.Name())
		}
	}
	if c := exec.Command("sha256sum", "--check", "--strict", "SHA256SUMS"); true {
		c.Dir = dist
		if o, err := c.CombinedOutput(); err != nil {
			t.Errorf("sha256sum --check: %v\n%s", err, o)
		}
	}

	// The binaries: static, of their architecture, stamped from git.
	var version string
	for arch, machine := range map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64} {
		bins, _ := filepath.Glob(filepath.Join(dist, "bondaudit-v*-linux-"+arch))
		if len(bins) != 1 {
			t.Fatalf("%s binaries: %v", arch, bins)
		}
		checkStatic(t, bins[0], machine)
		info, err := buildinfo.ReadFile(bins[0])
		if err != nil {
			t.Fatal(err)
		}
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if settings["vcs.revision"] != commit || settings["vcs.modified"] != "false" || settings["CGO_ENABLED"] != "0" ||
			settings["-trimpath"] != "true" || settings["GOARCH"] != arch || !strings.HasPrefix(info.Main.Version, "v") {
			t.Errorf("%s: version %q, build settings %v; want HEAD %s unmodified, CGO off, -trimpath", arch, info.Main.Version, settings, commit)
		}
		if filepath.Base(bins[0]) != "bondaudit-"+info.Main.Version+"-linux-"+arch {
			t.Errorf("%s is not named after its version %s", bins[0], info.Main.Version)
		}
		version = info.Main.Version
	}
	// The same commit gives the same files (README "Install"): the amd64
	// binary and .deb of a second run have the sums of the first.
	again := t.TempDir()
	if out, err := exec.Command("./release.sh", "-a", "amd64", "-o", again).CombinedOutput(); err != nil {
		t.Fatalf("release.sh again: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(readFile(t, filepath.Join(again, "SHA256SUMS"))), "\n") {
		if !strings.Contains(sums, line+"\n") {
			t.Errorf("a second release of the same commit differs: %q is not in the first SHA256SUMS", line)
		}
	}

	debs, _ := filepath.Glob(filepath.Join(dist, "bondaudit_*_amd64.deb"))
	if arm, _ := filepath.Glob(filepath.Join(dist, "bondaudit_*_arm64.deb")); len(debs) != 1 || len(arm) != 1 {
		t.Fatalf("debs: %v %v", debs, arm)
	}

	// Install, use, remove, purge.
	res := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(res, 0o755); err != nil {
		t.Fatal(err)
	}
	harness, _ := filepath.Abs("testdata/deb-install.sh")
	start = time.Now()
	o, err := exec.Command("unshare", "--mount", "--propagation", "private", "sh", harness, filepath.Join(t.TempDir(), "w"), debs[0], res).CombinedOutput()
	t.Logf("deb-install.sh: %.1fs", time.Since(start).Seconds())
	if err != nil {
		t.Fatalf("deb-install.sh: %v\n%s", err, o)
	}
	step := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(res, name))
		if err != nil {
			t.Fatalf("step %s did not run: %v\n%s", name, err, o)
		}
		if rc := strings.TrimSpace(readFile(t, filepath.Join(res, name+".rc"))); rc != "0" {
			t.Errorf("step %s: exit %s\n%s", name, rc, b)
		}
		return string(b)
	}
	step("install")
	step("reinstall")
	if v := step("version"); !strings.HasPrefix(v, "bondaudit "+version+" commit "+commit[:12]+" ") {
		t.Errorf("installed bondaudit --version = %q; want %s, commit %s", v, version, commit[:12])
	}
	if w := strings.TrimSpace(step("which")); w != binPath {
		t.Errorf("bondaudit is %s, want %s", w, binPath)
	}
	man := step("man")
	commands := helpCommands(step("help"))
	if len(commands) < 5 {
		t.Fatalf("bondaudit --help lists %v", commands)
	}
	for _, c := range commands {
		if c == "help" {
			continue
		}
		if !strings.Contains(man, "bondaudit-"+c+"(1)") {
			t.Errorf("man bondaudit does not name bondaudit-%s(1):\n%s", c, man)
		}
	}
	if slices.Contains(commands, "run") != strings.Contains(man, "bondaudit-run(1)") {
		t.Errorf("man bondaudit and --help disagree on the run command")
	}
	if !strings.Contains(man, "BONDAUDIT(1)") || !strings.Contains(man, "bondaudit "+version) {
		t.Errorf("man bondaudit: no header or no version %s:\n%s", version, man)
	}
	if ma := step("man-audit"); !strings.Contains(ma, "--fail-on") {
		t.Errorf("man bondaudit-audit does not document --fail-on:\n%s", ma)
	}
	if p := step("passwd"); !strings.HasPrefix(p, "bondaudit:") || !strings.Contains(p, ":"+stateDir+":") {
		t.Errorf("the postinst made no bondaudit user with home %s: %q", stateDir, p)
	}
	if s := strings.TrimSpace(step("state")); s != "bondaudit:bondaudit 750" {
		t.Errorf("%s: %s, want bondaudit:bondaudit 750", stateDir, s)
	}
	if v := step("verify"); strings.TrimSpace(v) != "" {
		t.Errorf("systemd-analyze verify of the installed units printed:\n%s", v)
	}
	if bc := step("bash-completion"); !strings.Contains(bc, "bondaudit") {
		t.Errorf("bash completion: %q", bc)
	}
	step("enable")
	if e := step("enabled"); !strings.Contains(e, "bondaudit.timer") {
		t.Errorf("systemctl enable bondaudit.timer made no timers.target.wants link: %q", e)
	}

	files := strings.Fields(step("files"))
	want := []string{binPath, "/usr/lib/systemd/system/bondaudit.service", "/usr/lib/systemd/system/bondaudit.timer",
		"/usr/share/man/man1/bondaudit.1.gz", "/usr/share/man/man1/bondaudit-audit.1.gz",
		"/usr/share/bash-completion/completions/bondaudit", "/usr/share/zsh/vendor-completions/_bondaudit",
		"/usr/share/fish/vendor_completions.d/bondaudit.fish", "/usr/share/doc/bondaudit/copyright",
		"/usr/share/doc/bondaudit/examples/bondaudit.cron"}
	for _, f := range want {
		if !slices.Contains(files, f) {
			t.Errorf("the package installs no %s", f)
		}
	}
	conffiles := step("conffiles")
	if _, err := os.Stat("../docs/run.example.yaml"); err == nil {
		if !strings.Contains(conffiles, runConfig) {
			t.Errorf("docs/run.example.yaml exists but the package has no conffile %s (uncomment it in packaging/nfpm.yaml): %q", runConfig, conffiles)
		}
	} else {
		t.Logf("docs/run.example.yaml not in this tree: %s not packaged yet", runConfig)
	}
	own := func(f string) bool {
		return strings.Contains(f, "bondaudit") && f != "/etc/bondaudit" && !strings.HasPrefix(f, "/etc/bondaudit/")
	}
	step("remove")
	if s := strings.TrimSpace(step("status-after-remove")); s != "config-files" {
		t.Errorf("after dpkg -r: status %q, want config-files", s)
	}
	for _, f := range strings.Fields(step("after-remove")) {
		if own(f) {
			t.Errorf("after dpkg -r, %s is still there", f)
		}
	}
	if e := step("enabled-after-remove"); strings.Contains(e, "bondaudit") {
		t.Errorf("after dpkg -r the timer is still enabled: %q", e)
	}
	step("purge")
	if rest := strings.Fields(step("after-purge")); slices.ContainsFunc(rest, func(f string) bool { return strings.Contains(f, "bondaudit") }) {
		t.Errorf("after dpkg --purge: %v still there", rest)
	}
	if s := strings.TrimSpace(step("state-after-purge")); s != "" {
		t.Errorf("after dpkg --purge, %s is still there", s)
	}
	if s := strings.TrimSpace(step("status-after-purge")); s != "not-installed" && s != "" {
		t.Errorf("after dpkg --purge: status %q", s)
	}
}

// checkStatic: an ELF executable for machine with no program interpreter
// and no shared libraries.
func checkStatic(t *testing.T, path string, machine elf.Machine) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != machine || f.Type != elf.ET_EXEC {
		t.Errorf("%s: %v %v, want an executable for %v", path, f.Type, f.Machine, machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s is not static: it has %v", path, p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s links %v", path, libs)
	}
}

// helpCommands: the command names under "Available Commands:" of --help.
func helpCommands(help string) []string {
	var names []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(help))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Available Commands:"):
			in = true
		case in && strings.TrimSpace(line) == "":
			in = false
		case in:
			if f := strings.Fields(line); len(f) > 0 && regexp.MustCompile(`^[a-z][a-z-]*$`).MatchString(f[0]) {
				names = append(names, f[0])
			}
		}
	}
	return names
}

// README "Install": go install of the command works from the module, and
// with CGO off gives a static binary that runs.
func TestGoInstall(t *testing.T) {
	gobin := t.TempDir()
	cmd := exec.Command("go", "install", "github.com/bondaudit/bondaudit/cmd/bondaudit")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	bin := filepath.Join(gobin, "bondaudit")
	checkStatic(t, bin, map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[runtime.GOARCH])
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "bondaudit ") {
		t.Errorf("installed bondaudit --version: %v %q", err, out)
	}
}
