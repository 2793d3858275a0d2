package registry

import (
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
