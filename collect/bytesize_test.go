package collect

import "testing"

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{
		"1048576": 1 << 20, "256MiB": 256 << 20, "2gib": 2 << 30, "500MB": 500e6, " 1 KiB ": 1 << 10,
		"3k": 3 << 10, "1T" + "B": 1e12, "7b": 7, "1TiB": 1 << 40,
	} {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-1MiB", "MiB", "1.5GiB", "1PiB", "4611686018427387905", "5000000TiB"} {
		if got, err := ParseByteSize(bad); err == nil {
			t.Errorf("ParseByteSize(%q) = %d, want an error", bad, got)
		}
	}
}
