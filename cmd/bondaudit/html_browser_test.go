package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// chromiumBinary finds a headless-capable Chromium, or skips the test (fails
// it in CI, which installs it).
func chromiumBinary(t *testing.T) string {
	t.Helper()
	return needtool.Need(t, "chromium", "chromium", "chromium-browser", "google-chrome")
}

// runChromium runs headless Chromium with args then the page URL, with its
// own profile, and returns its stdout.
func runChromium(t *testing.T, bin, pageURL string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	profile := t.TempDir()
	argv := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
		"--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
		"--disable-background-networking", "--disable-sync", "--mute-audio"}, args...)
	argv = append(argv, pageURL)
	cmd := exec.CommandContext(ctx, bin, argv...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("chromium %s: %.1fs", strings.Join(args, " "), time.Since(start).Seconds())
	if ctx.Err() != nil {
		t.Fatalf("chromium did not finish in 60 s\nstderr:\n%s", tail(stderr.String(), 3000))
	}
	if err != nil {
		t.Fatalf("chromium: %v\nstderr:\n%s", err, tail(stderr.String(), 3000))
	}
	return stdout.Bytes()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// TestHTMLReportBrowser opens the demo's HTML report in headless Chromium
// from a file URL, as a person opening the attachment would: it must paint
// (a screenshot that is not blank), list the demo's findings, and filter
// them, the filters set from the URL fragment and applied by the page's
// script before the DOM is dumped.
func TestHTMLReportBrowser(t *testing.T) {
	bin := chromiumBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "demo report.html") // a space: the URL must be escaped
	if code, out, errs := runCLI(t, "demo", "--format", "html", "-o", file); code != 0 {
		t.Fatalf("demo --format html: exit %d\n%s\n%s", code, out, errs)
	}
	_, rep, _ := auditJSON(t, "demo", "--format", "json")
	active := map[string]int{} // rule → findings not waived
	hostSev := map[[2]string]int{}
	for _, f := range rep.Findings {
		if f.Status == "suppressed" {
			continue
		}
		active[f.Rule]++
		hostSev[[2]string{f.Host, f.Severity}]++
	}
	total := 0
	for _, n := range active {
		total += n
	}
	if total == 0 || rep.Summary.Findings["warning"] == 0 {
		t.Fatalf("the demo has %d findings, %d warnings: nothing to filter", total, rep.Summary.Findings["warning"])
	}
	page := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()

	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(t.TempDir(), "report.png")
		runChromium(t, bin, page, "--screenshot="+shot, "--window-size=1280,2000")
		checkScreenshot(t, shot, 1280, 2000)
	})

	t.Run("all findings", func(t *testing.T) {
		rows := dumpRows(t, bin, page, "")
		if len(rows) != total {
			t.Errorf("the findings table has %d rows, the JSON report %d findings", len(rows), total)
		}
		got := map[string]int{}
		for _, r := range rows {
			if !r.visible {
				t.Errorf("row %s (%s) is hidden with no filter set", r.id, r.rule)
			}
			got[r.rule]++
		}
		for _, rule := range []string{"independent.switch-aggregated", "lacp.no-partner", "static.switch-not-aggregated",
			"bond.alb-in-bridge", "bond.no-link-monitor"} {
			if got[rule] == 0 {
				t.Errorf("the findings table does not list %s", rule)
			}
		}
		for rule, n := range active {
			if got[rule] != n {
				t.Errorf("%s: %d rows, the JSON report has %d findings", rule, got[rule], n)
			}
		}
	})

	for _, tc := range []struct {
		name, query string
		want        func(r domRow) bool
		count       int
	}{
		{"severity=warning", "#severity=warning", func(r domRow) bool { return r.severity == "warning" }, rep.Summary.Findings["warning"]},
		{"rule=lacp.no-partner", "#rule=lacp.no-partner", func(r domRow) bool { return r.rule == "lacp.no-partner" }, active["lacp.no-partner"]},
		{"query rule=static.switch-not-aggregated", "?rule=static.switch-not-aggregated",
			func(r domRow) bool { return r.rule == "static.switch-not-aggregated" }, active["static.switch-not-aggregated"]},
		{"host=web02&severity=error", "#host=web02&severity=error",
			func(r domRow) bool { return r.host == "web02" && r.severity == "error" }, hostSev[[2]string{"web02", "error"}]},
		{"switch=access2", "#switch=access2", func(r domRow) bool { return r.sw == "access2" }, -1},
		{"unknown rule", "#rule=no.such-rule", func(r domRow) bool { return false }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := dumpRows(t, bin, page, tc.query)
			if len(rows) != total {
				t.Fatalf("the table has %d rows, want all %d (filtered ones hidden, not removed)", len(rows), total)
			}
			visible := 0
			for _, r := range rows {
				if r.visible != tc.want(r) {
					t.Errorf("row %s (%s %s %s %s): visible %v", r.id, r.severity, r.rule, r.host, r.sw, r.visible)
				}
				if r.visible {
					visible++
				}
			}
			if tc.count >= 0 && visible != tc.count {
				t.Errorf("%d rows visible, the JSON report has %d such findings", visible, tc.count)
			}
			if tc.count != 0 && visible == 0 {
				t.Error("the filter hid every row")
			}
		})
	}
}

type domRow struct {
	id, severity, rule, host, sw string
	visible                      bool
}

// dumpRows loads the page (with a query or fragment) in Chromium, lets its
// script run, and returns the findings table's rows from the DOM.
func dumpRows(t *testing.T, bin, page, suffix string) []domRow {
	t.Helper()
	out := runChromium(t, bin, page+suffix, "--virtual-time-budget=2000", "--dump-dom")
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the dumped DOM does not parse: %v", err)
	}
	var table *html.Node
	var rows []domRow
	var visit func(n *html.Node, inTable bool)
	visit = func(n *html.Node, inTable bool) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, at := range n.Attr {
				a[at.Key] = at.Val
			}
			if n.Data == "table" && a["id"] == "findings" {
				table, inTable = n, true
			}
			if inTable && n.Data == "tr" && slices.Contains(strings.Fields(a["class"]), "finding") {
				_, hidden := a["hidden"]
				rows = append(rows, domRow{id: a["id"], severity: a["data-severity"], rule: a["data-rule"],
					host: a["data-host"], sw: a["data-switch"], visible: !hidden})
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inTable)
		}
	}
	visit(doc, false)
	if table == nil {
		t.Fatalf("no findings table in the DOM:\n%s", tail(string(out), 2000))
	}
	// The script ran: it records how many rows it shows.
	shown := ""
	for _, at := range table.Attr {
		if at.Key == "data-shown" {
			shown = at.Val
		}
	}
	if shown == "" {
		t.Fatal("the page's script did not run (no data-shown on the findings table)")
	}
	return rows
}

// checkScreenshot decodes the PNG and checks that something was painted:
// many colours, a fair share of non-white pixels, and the red of the error
// badges (the inline CSS applied).
func checkScreenshot(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != w || b.Dy() != h {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
	}
	colours := map[[3]uint32]bool{}
	samples, nonWhite, red := 0, 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl := rgb8(img, x, y)
			samples++
			colours[[3]uint32{r, g, bl}] = true
			if r < 245 || g < 245 || bl < 245 {
				nonWhite++
			}
			if r > 150 && g < 90 && bl < 90 {
				red++
			}
		}
	}
	share := float64(nonWhite) / float64(samples)
	t.Logf("screenshot %dx%d: %d colours, %.1f%% non-white, %d red samples", b.Dx(), b.Dy(), len(colours), 100*share, red)
	if len(colours) < 16 {
		t.Errorf("the screenshot has %d colours: blank or unstyled", len(colours))
	}
	if share < 0.05 {
		t.Errorf("only %.1f%% of the screenshot is not white: the page did not paint", 100*share)
	}
	if red == 0 {
		t.Error("no error red in the screenshot: the inline CSS did not apply")
	}
}

func rgb8(img image.Image, x, y int) (uint32, uint32, uint32) {
	r, g, b, _ := img.At(x, y).RGBA()
	return r >> 8, g >> 8, b >> 8
}
