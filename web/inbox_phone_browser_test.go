package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// On a 390 × 844 phone (Chromium, as Debian ships it) the inbox's first card starts within the
// first screen: the compact header, the title, the folded filters and the empty groups (one
// line for all of them) leave room. The coordinator's inbox is the worst case: every group is
// shown, and the first ones are often empty.
func TestInboxFirstCardWithinThePhoneScreen(t *testing.T) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("Chromium is needed for the browser tests: apt-get install -y chromium (.ci/run installs it)")
	}
	site, err := web.New(coordinatorInbox{}, web.Options{Location: time.FixedZone("WIB", 7*3600)})
	if err != nil {
		t.Fatal(err)
	}
	s := site.Handler()
	id := auth.Identity{Name: "koordinator.bpvp", Role: vocab.RoleCoordinator}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.ServeHTTP(w, r.WithContext(api.WithIdentity(r.Context(), id)))
	}))
	defer srv.Close()

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.WindowSize(390, 844)}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(srv.URL+"/inbox"), chromedp.WaitVisible(chromedp.CSS(`ol.cards > li.card`))); err != nil {
		t.Fatal(err)
	}
	measure := func(js string) float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if file := os.Getenv("KOMPETEN_INBOX_SHOT"); file != "" { // to look at the first screen by eye
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil || os.WriteFile(file, png, 0o644) != nil {
			t.Errorf("screenshot to %s: %v", file, err)
		}
	}
	top := measure(`document.querySelector("ol.cards > li.card").getBoundingClientRect().top + window.scrollY`)
	viewH := measure(`window.innerHeight`)
	viewW := measure(`document.documentElement.scrollWidth`)
	t.Logf("first card's top at %.0f px of a %.0f px screen", top, viewH)
	if viewH != 844 {
		t.Fatalf("the viewport is %.0f px high, want 844", viewH)
	}
	if top >= 844 {
		t.Errorf("the first inbox card starts at %.0f px, below the first screen (844 px)", top)
	}
	if n := measure(`document.querySelectorAll("details.empty-groups:not([open]) section.group.empty").length`); n != 5 {
		t.Errorf("%.0f empty groups folded below the cards, want the 5 without cases", n)
	}
	if viewW > 390 {
		t.Errorf("the inbox scrolls sideways at 390 px: %.0f px wide", viewW)
	}
}

// coordinatorInbox answers the inbox as a coordinator sees it, the worst case for a phone: all
// six groups, the first three empty, the cards (certifications with their K/BK evidence) in the
// fourth; the other pages' reads get empty lists.
type coordinatorInbox struct{}

func (coordinatorInbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path != "/api/v1/inbox" {
		_, _ = w.Write([]byte("[]"))
		return
	}
	since := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	born := time.Date(1999, 5, 17, 0, 0, 0, 0, time.UTC)
	group := func(kind, action, label, labelID string, role vocab.Role) api.InboxGroup {
		return api.InboxGroup{Kind: kind, Role: role, Action: action, Label: label, LabelID: labelID, Cases: []api.InboxItem{}}
	}
	cert := group("certification-approval", "certification", "Certification approvals", "Persetujuan sertifikasi", vocab.RoleLSPManager)
	for i := range 3 {
		cert.Cases = append(cert.Cases, api.InboxItem{CaseID: fmt.Sprintf("cert%06d", i), Package: "LAS-SMAW-2026-01", Centre: "BLK-SBY",
			LSP: "LSP-BLK-SBY", Stage: vocab.StageCertification, Since: since,
			Person: &store.Person{Name: "Muhammad Rizky Ramadhan", NIKMasked: "3517••••••••0003", BirthDate: &born, Age: 26, Phone: "0812-3456-7890"},
			Evidence: &api.Evidence{Kind: "assessment-result", Detail: "assessment result recorded: 2 K, 0 BK", By: "lsp.sby", At: since, Assessor: "ASR-007",
				Units: []store.UnitResult{{Unit: "LOG.OO01.002.01", Result: "K"}, {Unit: "LOG.OO01.003.01", Result: "K"}}}})
	}
	cert.Total = len(cert.Cases)
	in := api.Inbox{GeneratedAt: since, Groups: []api.InboxGroup{
		group("enrolment-approval", "enrolment", "Enrolment approvals", "Persetujuan pendaftaran", vocab.RoleCentreAdmin),
		group("seat-waiting", "seat", "Approved enrolments on the waiting list: a seat frees when a case leaves before training, or a coordinator raises the capacity",
			"Pendaftaran disetujui dalam daftar tunggu: kursi kosong bila peserta keluar sebelum pelatihan, atau koordinator menambah kapasitas", vocab.RoleCentreAdmin),
		group("correction", "correction", "Data refused by BPJS, to correct", "Data ditolak BPJS, perlu dikoreksi", vocab.RoleCentreAdmin),
		cert,
		group("assessment-refused", "retry-refused", "Assessment requests refused by the LSP", "Permintaan uji ditolak LSP", vocab.RoleLSPManager),
		group("certificate-refused", "retry-refused", "Certificates refused by the LSP", "Sertifikat ditolak LSP", vocab.RoleLSPManager),
	}}
	_ = json.NewEncoder(w).Encode(in)
}
