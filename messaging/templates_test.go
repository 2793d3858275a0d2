package messaging

import (
	"strings"
	"testing"
	"time"
)

// Every milestone renders in Indonesian with every parameter it names filled, and the WhatsApp
// parameters are the named fields in the file's order.
func TestTemplatesRender(t *testing.T) {
	d := Data{Name: "Siti", Package: "Las (IT-LAS-1)", Start: "2 Februari 2027", End: "27 Februari 2027", Place: "BLK Surabaya",
		KPJ: "23000000001", Date: "3 Maret 2027 pukul 08.00", Certificate: "LSP-BLK-SBY/2027/000001", Month: "3", Link: "https://k.example/r/abc"}
	cases := []struct {
		m        Milestone
		template string
		want     []string
	}{
		{MilestoneEnrolment, "kompeten_enrolment", []string{"Halo Siti", "Las (IT-LAS-1)", "2 Februari 2027 s.d. 27 Februari 2027", "BLK Surabaya", "STOP"}},
		{MilestoneInsurance, "kompeten_bpjs", []string{"BPJS Ketenagakerjaan", "23000000001"}},
		{Assessment(0), "kompeten_assessment", []string{"uji kompetensi", "3 Maret 2027 pukul 08.00", "BLK Surabaya"}},
		{Assessment(1), "kompeten_assessment", []string{"3 Maret 2027"}},
		{MilestoneCertificate, "kompeten_certificate", []string{"Selamat Siti", "LSP-BLK-SBY/2027/000001"}},
		{FollowUp(3), "kompeten_followup", []string{"3 bulan", "https://k.example/r/abc"}},
		{Reminder(3), "kompeten_reminder", []string{"belum menerima kabar", "https://k.example/r/abc"}},
	}
	for _, c := range cases {
		msg, err := Render(c.m, d)
		if err != nil {
			t.Fatalf("%s: %v", c.m, err)
		}
		if msg.Template != c.template {
			t.Errorf("%s: template %s, want %s", c.m, msg.Template, c.template)
		}
		for _, w := range c.want {
			if !strings.Contains(msg.Text, w) {
				t.Errorf("%s: %q does not say %q", c.m, msg.Text, w)
			}
		}
		// What Meta renders from the parameters is what the SMS says.
		again, err := RenderTemplate(msg.Template, msg.Params)
		if err != nil || again != msg.Text {
			t.Errorf("%s: rendered from its parameters %q (%v), want %q", c.m, again, err, msg.Text)
		}
	}
}

// Without a link issuer the follow-up and the reminder go without a link and say the centre
// will call, with one parameter fewer.
func TestFollowUpWithoutLink(t *testing.T) {
	for _, m := range []Milestone{FollowUp(1), Reminder(12)} {
		msg, err := Render(m, Data{Name: "Budi", Package: "Las", Month: "1"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(msg.Template, "_nolink") || strings.Contains(msg.Text, "http") || !strings.Contains(msg.Text, "Petugas BLK") {
			t.Errorf("%s without a link: %s %q", m, msg.Template, msg.Text)
		}
		for _, p := range msg.Params {
			if p == "" {
				t.Errorf("%s: an empty parameter in %q", m, msg.Params)
			}
		}
	}
}

// A template refuses the wrong number of parameters, as Meta does.
func TestRenderTemplateChecksParameters(t *testing.T) {
	if _, err := RenderTemplate("kompeten_bpjs", []string{"only one"}); err == nil {
		t.Fatal("one parameter for a template of two was accepted")
	}
	if _, err := RenderTemplate("kompeten_nope", nil); err == nil {
		t.Fatal("an unknown template was accepted")
	}
}

func TestWords(t *testing.T) {
	at := time.Date(2027, 2, 2, 8, 5, 0, 0, time.UTC)
	if got := DayTime(at); got != "2 Februari 2027 pukul 08.05" {
		t.Errorf("DayTime = %q", got)
	}
	if got := FirstName("  Siti Aminah "); got != "Siti" {
		t.Errorf("FirstName = %q", got)
	}
	for in, want := range map[string]string{"081234567890": "6281234567890", "+62 812-3456-7890": "6281234567890", "81234567890": "6281234567890"} {
		if got, ok := International(in); !ok || got != want {
			t.Errorf("International(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "0211234567", "12345"} {
		if got, ok := International(bad); ok {
			t.Errorf("International(%q) = %q, want refused", bad, got)
		}
	}
	if got := Local("6281234567890"); got != "081234567890" {
		t.Errorf("Local = %q", got)
	}
	for _, s := range []string{"STOP", "stop", " Stop. ", "BERHENTI", "berhenti!"} {
		if !IsStop(s) {
			t.Errorf("IsStop(%q) = false", s)
		}
	}
	for _, s := range []string{"", "stop please", "ok", "jangan berhenti"} {
		if IsStop(s) {
			t.Errorf("IsStop(%q) = true", s)
		}
	}
}

// A provider's words that echo a number lose it before they reach a log or a history.
func TestScrub(t *testing.T) {
	if got := scrub("(#131026) 6281234567890 is not on WhatsApp; code 1234567"); got != "(#131026) ############# is not on WhatsApp; code 1234567" {
		t.Fatalf("scrub = %q", got)
	}
}
