package regions

import (
	"strings"
	"testing"
)

func TestLookups(t *testing.T) {
	tests := []struct {
		name   string
		lookup func(string) (string, bool)
		code   string
		want   string
		wantOK bool
	}{
		{"province", Province, "35", "Jawa Timur", true},
		{"province aceh", Province, "11", "Aceh", true},
		{"province unknown", Province, "99", "", false},
		{"province dotted is not a province", Province, "35.15", "", false},
		{"regency", Regency, "35.15", "Kabupaten Sidoarjo", true},
		{"regency unknown", Regency, "35.99", "", false},
		{"regency undotted", Regency, "3515", "", false},
		{"district", District, "35.15.01", "Tarik", true},
		{"district quoted name", District, "35.29.22", `Ra"as`, true},
		{"district unknown", District, "35.25.99", "", false},
		{"district empty", District, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.lookup(tt.code)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("lookup(%q) = %q, %v; want %q, %v", tt.code, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestTableSizes(t *testing.T) {
	// idn-area-data v4.0.1 sizes; a change means the embedded copy changed.
	tb := load()
	if got := len(tb.provinces); got != 38 {
		t.Errorf("provinces = %d, want 38", got)
	}
	if got := len(tb.regencies); got != 514 {
		t.Errorf("regencies = %d, want 514", got)
	}
	if got := len(tb.districts); got != 7285 {
		t.Errorf("districts = %d, want 7285", got)
	}
}

func TestNotice(t *testing.T) {
	n := Notice()
	for _, want := range []string{"idn-area-data", "4.0.1", "ODbL"} {
		if !strings.Contains(n, want) {
			t.Errorf("Notice() lacks %q", want)
		}
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	// sync.Once must make concurrent first lookups safe (run with -race).
	done := make(chan bool)
	for range 8 {
		go func() { _, ok := District("35.15.01"); done <- ok }()
	}
	for range 8 {
		if !<-done {
			t.Fatal("concurrent lookup failed")
		}
	}
}
