package registry

import (
	"slices"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if r.Coordinator.Code != "BPVP-SDA" {
		t.Errorf("coordinator = %q", r.Coordinator.Code)
	}
	if len(r.Centres) != 19 {
		t.Errorf("centres = %d, want 19", len(r.Centres))
	}
	var insurers, lsps int
	for _, p := range r.Partners {
		switch p.Kind {
		case KindInsurer:
			insurers++
		case KindCertifier:
			lsps++
		}
	}
	if insurers != 1 || lsps != 5 {
		t.Errorf("insurers=%d lsps=%d, want 1 and 5", insurers, lsps)
	}
	if want := time.Date(2023, 1, 19, 0, 0, 0, 0, time.UTC); !r.MoUSignedOn.Equal(want) {
		t.Errorf("mou_signed_on = %v", r.MoUSignedOn)
	}
	c, ok := r.Centre("BLK-SBY")
	if !ok || c.Regency != "35.78" || c.Owner != "province" {
		t.Errorf("BLK-SBY = %+v, %v", c, ok)
	}
	if c, _ := r.Centre("BLK-KDR"); c.RegencyName != "Kediri" || c.Regency != "" {
		t.Errorf("BLK-KDR = %+v", c)
	}
}

func TestParseRejectsDuplicates(t *testing.T) {
	_, err := parse([]byte(`
coordinator: {code: X}
training_centres:
  - {code: A, name: a}
  - {code: A, name: b}
mou_signed_on: "2023-01-19"
`))
	if err == nil {
		t.Fatal("want error for duplicate centre code")
	}
}

func TestSchemesHaveUnitsAndSayWhereTheyComeFrom(t *testing.T) {
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"SKM-LAS", "SKM-OTO", "SKM-JAHIT"} {
		s, ok := r.Scheme(code)
		if !ok {
			t.Fatalf("scheme %s missing: packages and tests use it", code)
		}
		if len(s.Units) < 3 || !s.Sample || s.Source == "" {
			t.Errorf("scheme %s: %d units, sample=%v, source %q", code, len(s.Units), s.Sample, s.Source)
		}
	}
	las, _ := r.Scheme("SKM-LAS")
	// The design notes' welder cluster, in its order.
	want := []string{"LOG.OO01.002.01", "LOG.OO01.003.01", "LOG.OO02.005.01", "LOG.OO09.001.01"}
	if got := las.UnitCodes()[:4]; !slices.Equal(got, want) {
		t.Errorf("SKM-LAS units start %v, want %v", got, want)
	}
	if _, ok := r.Scheme("SKM-NOPE"); ok {
		t.Error("an unknown scheme was found")
	}
}

func TestParseRejectsBadSchemes(t *testing.T) {
	for name, schemes := range map[string]string{
		"no units":        `[{code: S, name: s, source: x}]`,
		"unit twice":      `[{code: S, name: s, source: x, units: [{code: U1}, {code: U1}]}]`,
		"space in a unit": `[{code: S, name: s, source: x, units: [{code: "U 1"}]}]`,
		"no source":       `[{code: S, name: s, units: [{code: U1}]}]`,
		"scheme twice":    `[{code: S, name: s, source: x, units: [{code: U1}]}, {code: S, name: t, source: x, units: [{code: U2}]}]`,
	} {
		_, err := parse([]byte("coordinator: {code: X}\nmou_signed_on: \"2023-01-19\"\nschemes: " + schemes + "\n"))
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
