package render

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Markdown renders, per change, what to type on the switch and on the
// host, each snippet in a fenced block under a line naming its device and
// tool: a section for a change ticket (bondaudit fix --format markdown).
// With a Model (m may be nil) a switch gets its own vendor family and a
// LAG's members are known; without, every family is shown. A change that
// cannot be rendered says why in place of its blocks.
func Markdown(changes []topology.Change, m *topology.Model) string {
	var b strings.Builder
	r := With(m)
	for i, c := range changes {
		fmt.Fprintf(&b, "#### Change %d: %s\n\n", i+1, escape.Markdown(Describe(c)))
		snips, err := r.All(c)
		if err != nil {
			fmt.Fprintf(&b, "Not rendered: %s\n\n", escape.Markdown(err.Error()))
			continue
		}
		if len(snips) == 0 {
			b.WriteString("Nothing to type.\n\n")
			continue
		}
		for _, s := range snips {
			fmt.Fprintf(&b, "On %s (%s):\n\n", escape.MarkdownCode(s.Target), escape.Markdown(toolName(s.Tool)))
			fenced(&b, s)
		}
	}
	return b.String()
}

// toolName is how a ticket names a tool.
func toolName(t string) string {
	switch t {
	case Arista:
		return "Arista EOS"
	case CiscoIOS:
		return "Cisco IOS/IOS-XE"
	case CiscoNXOS:
		return "Cisco NX-OS"
	case Junos:
		return "Junos"
	case NMCLI:
		return "NetworkManager, nmcli"
	}
	return t
}

// fenced writes the lines in a fenced code block whose fence is longer
// than any run of backquotes in them, so no line closes it.
func fenced(b *strings.Builder, s Snippet) {
	longest := 0
	for _, l := range s.Lines {
		run := 0
		for _, c := range l {
			if c == '`' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	lang := map[string]string{IPRoute2: "sh", NMCLI: "sh", Netplan: "yaml"}[s.Tool]
	if lang == "" {
		lang = "text"
	}
	fmt.Fprintf(b, "%s%s\n", fence, lang)
	for _, l := range s.Lines {
		// the renderers never write a control character (names holding one
		// are refused); were one to slip through, it is shown escaped
		// rather than typed
		if strings.ContainsFunc(l, invisible) {
			l = escape.Text(l)
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	fmt.Fprintf(b, "%s\n\n", fence)
}

// IPRoute2Script is the iproute2 side of the changes as one POSIX shell
// script (set -eu: it stops at the first command that fails), for a test
// to run on a host with the bonding driver. A change with nothing for
// iproute2 to configure is a comment; one that cannot be rendered makes
// the script fail before it changes anything.
func IPRoute2Script(changes []topology.Change) string {
	var body []string
	for i, c := range changes {
		body = append(body, "", fmt.Sprintf("# change %d: %s", i+1, Describe(c)))
		if c.MoveCable != nil {
			body = append(body, "# by hand: nothing for iproute2 to configure")
			continue
		}
		snips, err := Host(c, IPRoute2)
		if err != nil {
			return fmt.Sprintf("#!/bin/sh\necho %s >&2\nexit 1\n", sq(fmt.Sprintf("change %d cannot be rendered: %s", i+1, err)))
		}
		if len(snips) == 0 {
			body = append(body, "# nothing on a host")
		}
		for _, s := range snips {
			body = append(body, s.Lines...)
		}
	}
	return "#!/bin/sh\nset -eu\n" + strings.Join(body, "\n") + "\n"
}

// invisible reports a rune a terminal would act on or hide: a control
// character, a format character (bidi controls, zero-width), a line or
// paragraph separator, or the replacement for invalid UTF-8.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 || r == unicode.ReplacementChar
}
