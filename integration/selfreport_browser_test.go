package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/selfreport"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Issue 18 in a browser at 390 px: a graduate in placement follow-up opens the link of the
// follow-up message in the WhatsApp simulator's outbox and reports formal employment; the
// self-report waits for staff (on /followups under "to confirm", on the case page), a centre
// admin confirms it on the case page, and the case closes placed-formal and self-reported in the
// read model; the same link then refuses, as do an expired and a tampered link, and none of them
// changes a case. A second graduate answers "still looking": a contact in the timeline, the
// follow-up goes on; later they self-report informal work, which staff correct through the API.
// The certificate issued in the test is confirmed by the public check, then revoked on the case
// page (the summary and the check say so); a made-up number is not found (as a malformed one),
// and the 100th check in a minute from one address is refused.
func TestSelfReportInABrowser(t *testing.T) {
	cfg := fastConfig(t)
	// The first follow-up's message goes out 20 s into placement; the last follow-up (12
	// "months") comes long after the test has ended, so both cases stay in follow-up.
	cfg.Journey.Month = 20 * time.Second
	cfg.Journey.FollowUpMonths = []int{1, 12}
	sys := startSystem(t, cfg)
	ctx := newBrowser(t)
	shot := newShots(t)

	// The public pages are mounted as serve mounts them, in front of the pages and the API.
	loc, err := time.LoadLocation(cfg.Journey.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	issuer, err := app.MountSelfReport(mux, cfg, sys.svc, sys.store, loc, sys.logger)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/", sys.api.Config.Handler)
	site := httptest.NewServer(mux)
	t.Cleanup(site.Close)
	issuer.BaseURL = site.URL

	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-SELF", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS",
		LSP: "LSP-BLK-SBY", Start: now.Add(4 * time.Second).Format(time.RFC3339), End: now.Add(7 * time.Second).Format(time.RFC3339),
		Hours: 240, AutoApprove: true})
	people := validPeople(t, pkg.StartDate, 2)
	people[0].Consent = true // only the first agreed to messages: the second's links come from the issuer
	phone, ok := messaging.International(people[0].Phone)
	if !ok {
		t.Fatalf("sample person has no mobile number: %q", people[0].Phone)
	}
	ids := enrol(t, sys, pkg.Code, people)
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	manager := workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}
	for _, id := range ids {
		sys.caseIn(id, vocab.StageTraining, 20*time.Second)
		one := 1
		var res workflows.UpdateResult
		if code := sys.call("POST", "/api/v1/cases/"+id+"/attendance", workflows.Attendance{Actor: admin, Attended: &one}, &res); code != http.StatusOK {
			t.Fatalf("attendance %s: HTTP %d", id, code)
		}
	}
	for _, id := range ids {
		sys.caseIn(id, vocab.StageCertification, 40*time.Second)
		sys.approveCertification(manager, id)
	}
	placed, looking := ids[0], ids[1]
	placedCase := sys.caseIn(placed, vocab.StagePlacement, 30*time.Second)
	lookingCase := sys.caseIn(looking, vocab.StagePlacement, 30*time.Second)
	if placedCase.CertificateNo == "" || placedCase.CertificateIssuedOn == nil || placedCase.CertificateExpiresOn == nil {
		t.Fatalf("certified case %s has no certificate with dates in the read model: %+v", placed, placedCase)
	}

	// The graduate's link is the one in the first follow-up's WhatsApp message; the worker
	// made it with the server's own base address, the test site stands in for it here.
	var link string
	eventually(t, 60*time.Second, "the first follow-up's message with its link in the outbox", func() (bool, string) {
		for _, m := range sys.sims.WhatsApp.OutboxFor(phone) {
			if m.Key == placed+"/"+string(messaging.FollowUp(1)) {
				if l := laporLink.FindString(strings.Join(append([]string{m.Text}, m.Params...), " ")); l != "" {
					u, err := url.Parse(l)
					if err != nil {
						return false, err.Error()
					}
					link = site.URL + u.Path
					return true, ""
				}
				return false, "the message has no link: " + m.Text
			}
		}
		return false, fmt.Sprintf("%d messages", len(sys.sims.WhatsApp.OutboxFor(phone)))
	})
	if again, _ := issuer.FollowUpLink(context.Background(), placed, 1); again != link {
		t.Fatalf("the issuer gave two links for one follow-up: the message's %s, now %s", link, again)
	}

	// The graduate answers on a phone.
	run(t, ctx, "open the follow-up link at 390 px", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(link), chromedp.WaitVisible(css("#lapor-form")))
	if h := text(t, ctx, "h1"); !strings.HasPrefix(h, "Halo, ") || len(strings.Fields(h)) != 2 {
		t.Errorf("the page greets %q; want the first name only", h)
	}
	if body := text(t, ctx, "main"); !strings.Contains(body, pkg.Code) {
		t.Errorf("the page does not name the package %s: %q", pkg.Code, body)
	}
	wide := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if wide > 390 {
		t.Errorf("the follow-up page is %d px wide on a 390 px phone", wide)
	}
	shot.take(ctx, "lapor-form-phone")
	accessible(t, ctx, "follow-up form")
	fitsTheScreen(t, ctx, "follow-up form")
	start := time.Now().In(loc).AddDate(0, 0, -3).Format(time.DateOnly)
	run(t, ctx, "report formal employment",
		chromedp.Click(css(`input[name=answer][value=working]`)),
		chromedp.SendKeys(css(`input[name=employer]`), "PT Baja Sidoarjo"),
		chromedp.Click(css(`input[name=kind][value=formal]`)),
		chromedp.SetValue(css(`input[name=start]`), start),
		chromedp.Submit(css("#lapor-form")),
		chromedp.WaitVisible(css("#lapor-done")))
	shot.take(ctx, "lapor-done-phone")

	// The self-report waits for staff (journey.selfreport_confirm, 14 days): still in placement
	// follow-up, on the centre admin, marked on /followups and on the case page.
	sys.eventSeen(placed, "placement-reported", 20*time.Second)
	if c, err := sys.store.GetCase(context.Background(), placed); err != nil || c.Status != store.StatusOpen || c.Stage != vocab.StagePlacement ||
		c.WaitingOn != vocab.WaitingCentreAdmin || c.PlacementCategory != vocab.PlacementFormal || !c.PlacementSelfReported {
		t.Fatalf("after the self-report the case is %+v, %v; want open in placement on the centre admin, formal, self-reported", c, err)
	}
	evs, err := sys.store.CaseEvents(context.Background(), placed)
	if err != nil {
		t.Fatal(err)
	}
	var reported *store.Event
	for i, e := range evs {
		if e.Kind == "placement-reported" {
			reported = &evs[i]
		}
	}
	if reported == nil || reported.ActorRole != vocab.RoleGraduate || !strings.Contains(reported.Detail, "self-reported") {
		t.Fatalf("the timeline's placement report = %+v; want the graduate's, self-reported", reported)
	}

	// A centre admin sees it under "to confirm" on /followups and confirms it on the case page.
	run(t, ctx, "staff open the follow-ups at 390 px", chromedp.Navigate(site.URL+"/followups"),
		chromedp.SetValue(css("#actor-name"), "siti"), chromedp.Submit(css("form.actor")), chromedp.WaitVisible(css("#flash")),
		chromedp.Navigate(site.URL+"/followups"), chromedp.WaitVisible(css("#confirm-"+placed)))
	if row := text(t, ctx, "#confirm-"+placed); !strings.Contains(row, "PT Baja Sidoarjo") || !strings.Contains(row, "menunggu konfirmasi staf") {
		t.Errorf("the follow-ups' to-confirm row says %q", row)
	}
	shot.take(ctx, "followups-to-confirm-phone")
	accessible(t, ctx, "follow-ups to confirm")
	fitsTheScreen(t, ctx, "follow-ups to confirm")
	run(t, ctx, "open the case waiting for confirmation", chromedp.Navigate(site.URL+"/cases/"+placed), chromedp.WaitVisible(css("#confirm-placement")))
	if until := text(t, ctx, "#confirm-until"); !strings.Contains(until, reported.At.In(loc).AddDate(0, 0, 14).Format(time.DateOnly)) {
		t.Errorf("the case page says the confirmation waits %q; want 14 days from the report", until)
	}
	if review := read(t, ctx, "review status", chromedp.Evaluate[string](`document.querySelector('#placement-review').dataset.status`)); review != "awaiting" {
		t.Errorf("the case page's review status is %q, want awaiting", review)
	}
	accessible(t, ctx, "case waiting for confirmation")
	run(t, ctx, "confirm the self-report", chromedp.SetValue(css(`#confirm-form input[name=note]`), "employer called back"),
		chromedp.Click(css("#confirm-button")), chromedp.WaitVisible(css("#flash")))
	closed := sys.caseIn(placed, vocab.StageClosed, 30*time.Second)
	if closed.Outcome != vocab.OutcomePlacedFormal || !closed.PlacementSelfReported {
		t.Fatalf("case %s closed %s, self-reported %v; want placed-formal, self-reported", placed, closed.Outcome, closed.PlacementSelfReported)
	}
	confirmed := sys.eventSeen(placed, "placement-confirmed", 10*time.Second)
	if confirmed.ActorID != "siti" || confirmed.ActorRole != vocab.RoleCentreAdmin || !strings.Contains(confirmed.Detail, "employer called back") {
		t.Errorf("the confirmation on the timeline: %+v", confirmed)
	}

	// The same link refuses now, in the browser and posted directly, and changes nothing.
	run(t, ctx, "open the used link", chromedp.Navigate(link), chromedp.WaitVisible(css("#lapor-gone")))
	shot.take(ctx, "lapor-gone-phone")
	accessible(t, ctx, "refused link")
	if code := postAnswer(t, link, "working"); code != http.StatusGone {
		t.Errorf("posting to the used link: HTTP %d, want 410", code)
	}
	unchanged(t, sys, closed)

	// An expired link (issued 15 days ago) and a tampered one refuse and change nothing.
	past := *issuer
	past.Now = func() time.Time { return time.Now().Add(-15 * 24 * time.Hour) }
	expired, err := past.FollowUpLink(context.Background(), looking, 1)
	if err != nil {
		t.Fatal(err)
	}
	good, err := issuer.FollowUpLink(context.Background(), looking, 1)
	if err != nil {
		t.Fatal(err)
	}
	if good == expired {
		t.Fatal("the issuer handed out the expired link again")
	}
	tampered := good[:len(good)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(good, "A")]
	for what, l := range map[string]string{"expired": expired, "tampered": tampered} {
		run(t, ctx, "open the "+what+" link", chromedp.Navigate(l), chromedp.WaitVisible(css("#lapor-gone")))
		if code := postAnswer(t, l, "working"); code != http.StatusGone {
			t.Errorf("posting to the %s link: HTTP %d, want 410", what, code)
		}
		unchanged(t, sys, lookingCase)
	}

	// "Still looking" is a contact: the case stays in follow-up.
	run(t, ctx, "answer still looking", chromedp.Navigate(good), chromedp.WaitVisible(css("#lapor-form")),
		chromedp.Click(css(`input[name=answer][value=still-looking]`)),
		chromedp.Submit(css("#lapor-form")), chromedp.WaitVisible(css("#lapor-done")))
	sys.eventSeen(looking, "follow-up-contact", 20*time.Second)
	if c, err := sys.store.GetCase(context.Background(), looking); err != nil || c.Status != store.StatusOpen || c.Stage != vocab.StagePlacement {
		t.Fatalf("after 'still looking' the case is %+v, %v; want open in placement", c, err)
	}
	// The tracer study counts the follow-ups by channel: both were sent a link and answered it,
	// one placed; staff reported none.
	var tracer api.TracerStudy
	if code := sys.call("GET", "/api/v1/reports/tracer-study", nil, &tracer); code != http.StatusOK {
		t.Fatalf("tracer study: HTTP %d", code)
	}
	want := store.ChannelRow{CentreCode: "BLK-SBY", FollowUps: 2, Linked: 2, SelfAnswered: 2, SelfPlaced: 1}
	var sby *store.ChannelRow
	for i, c := range tracer.Channels {
		if c.CentreCode == "BLK-SBY" {
			sby = &tracer.Channels[i]
		}
	}
	if sby == nil {
		t.Fatalf("the tracer study has no channel row for BLK-SBY: %+v", tracer.Channels)
	}
	if sby.CentreName = ""; *sby != want {
		t.Errorf("tracer study by channel = %+v, want %+v", *sby, want)
	}

	// The trainee's printable summary carries the QR code to the public check.
	run(t, ctx, "open the certificate summary", chromedp.Navigate(site.URL+"/cases/"+placed+"/sertifikat"),
		chromedp.WaitVisible(css("#certificate-summary svg.qr")))
	if href := read(t, ctx, "verify link", chromedp.Evaluate[string](`document.querySelector('#summary-verify').getAttribute('href')`)); !strings.HasSuffix(href, selfreport.VerifyPath+url.PathEscape(closed.CertificateNo)) {
		t.Errorf("the summary's check link is %q", href)
	}
	shot.take(ctx, "certificate-summary-phone")
	accessible(t, ctx, "certificate summary")

	// The rev-3 history of a self-report before confirmation stays as journey-self-reported-formal.
	recordHistories(t, sys, map[string]string{"journey-self-reported-confirmed": placed})

	// The certificate check: the certificate issued here is valid; a made-up and a malformed
	// number answer the same "not found".
	verify := site.URL + selfreport.VerifyPath
	got := verifyJSON(t, http.DefaultClient, verify+url.PathEscape(closed.CertificateNo)+"?format=json")
	if !got.Found || got.Status != selfreport.StatusValid || got.LSP != "LSP-BLK-SBY" || got.Initials == "" || got.Issued == "" || got.Expires == "" {
		t.Fatalf("the issued certificate checks as %+v", got)
	}
	if strings.Contains(fmt.Sprint(got), "@") || len(strings.Fields(got.Initials)) == 0 || strings.Count(got.Initials, ".") != len(strings.Fields(got.Initials)) {
		t.Errorf("the holder shows as %q; want initials only", got.Initials)
	}
	run(t, ctx, "open the certificate check", chromedp.Navigate(verify+url.PathEscape(closed.CertificateNo)), chromedp.WaitVisible(css("#verify-status")))
	if s := read(t, ctx, "status", chromedp.Evaluate[string](`document.querySelector('#verify-status').dataset.status`)); s != "valid" {
		t.Errorf("the check page says %q, want valid", s)
	}
	shot.take(ctx, "verifikasi-phone")
	accessible(t, ctx, "certificate check")
	unknown := rawGet(t, http.DefaultClient, verify+"LSP-XX-9999-000001?format=json")
	malformed := rawGet(t, http.DefaultClient, verify+"%3Cscript%3E?format=json")
	if unknown != malformed || !strings.Contains(unknown, `"found":false`) {
		t.Errorf("unknown number answers %q, malformed %q; want the same not-found", unknown, malformed)
	}

	// The certificate is revoked from the case page (reason and confirmation required); the
	// printable summary and the public check then say so.
	run(t, ctx, "revoke the certificate on the case page", chromedp.Navigate(site.URL+"/cases/"+placed),
		chromedp.Click(css("#revoke-certificate summary")), chromedp.WaitVisible(css("#revoke-form")),
		chromedp.SetValue(css("#revoke-reason"), "issued on a forged logbook"), chromedp.Click(css("#revoke-confirm")),
		chromedp.Click(css("#revoke-button")), chromedp.WaitVisible(css("#certificate-revoked")))
	revocation := sys.eventSeen(placed, "certificate-revoked", 10*time.Second)
	if revocation.ActorID != "siti" {
		t.Errorf("the revocation's timeline entry names %q, not the person who revoked it", revocation.ActorID)
	}
	if got := text(t, ctx, "#certificate-revoked"); !strings.Contains(got, "issued on a forged logbook") || !strings.Contains(got, revocation.At.In(loc).Format(time.DateOnly)) {
		t.Errorf("the case page says %q about the revocation", got)
	}
	run(t, ctx, "open the revoked certificate's summary", chromedp.Navigate(site.URL+"/cases/"+placed+"/sertifikat"), chromedp.WaitVisible(css("#summary-revoked")))
	if got := text(t, ctx, "#summary-revoked-reason"); got != "issued on a forged logbook" {
		t.Errorf("the summary gives the reason %q", got)
	}
	shot.take(ctx, "certificate-summary-revoked-phone")
	accessible(t, ctx, "revoked certificate summary")
	if got := verifyJSON(t, http.DefaultClient, verify+url.PathEscape(closed.CertificateNo)+"?format=json"); got.Status != selfreport.StatusRevoked {
		t.Errorf("after the revocation the check says %q", got.Status)
	}

	// The second graduate reports informal work through a later link; staff correct it through
	// the API with the placement they found: it replaces the self-report, the case closes with
	// staff's report, and the timeline keeps both.
	later, err := issuer.FollowUpLink(context.Background(), looking, 12)
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "report informal work", chromedp.Navigate(later), chromedp.WaitVisible(css("#lapor-form")),
		chromedp.Click(css(`input[name=answer][value=working]`)),
		chromedp.SendKeys(css(`input[name=employer]`), "Bengkel Pak Slamet"),
		chromedp.Click(css(`input[name=kind][value=informal]`)),
		chromedp.SetValue(css(`input[name=start]`), start),
		chromedp.Submit(css("#lapor-form")), chromedp.WaitVisible(css("#lapor-done")))
	selfReported := sys.eventSeen(looking, "placement-reported", 20*time.Second)
	var ur workflows.UpdateResult
	if code := sys.call("POST", "/api/v1/cases/"+looking+"/placement", workflows.PlacementReport{Actor: admin, Category: vocab.PlacementFormal,
		Employer: "PT Baja Sidoarjo", Start: time.Now()}, &ur); code != http.StatusOK || !strings.Contains(ur.Message, "replaces the self-report") {
		t.Fatalf("correcting the self-report: HTTP %d %q", code, ur.Message)
	}
	corrected := sys.caseIn(looking, vocab.StageClosed, 30*time.Second)
	if corrected.Outcome != vocab.OutcomePlacedFormal || corrected.PlacementSelfReported {
		t.Fatalf("the corrected case closed %s, self-reported %v; want placed-formal by staff", corrected.Outcome, corrected.PlacementSelfReported)
	}
	correction := sys.eventSeen(looking, "placement-corrected", 10*time.Second)
	if selfReported.ActorRole != vocab.RoleGraduate || correction.ActorRole == vocab.RoleGraduate || correction.ActorRole == "" ||
		!strings.Contains(correction.Detail, "replaces the graduate's self-report: informal") {
		t.Errorf("the timeline: self-report %+v, correction %+v", selfReported, correction)
	}

	// The 100th check in a minute from one address is refused (a client of its own address, so
	// the checks above do not count).
	other := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}).DialContext}}
	for i := 1; i <= 100; i++ {
		resp, err := other.Get(verify + "LSP-XX-" + fmt.Sprint(i) + "?format=json")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusOK}[i == 100]; resp.StatusCode != want {
			t.Fatalf("check %d from one address: HTTP %d, want %d", i, resp.StatusCode, want)
		}
	}
}

// postAnswer posts an answer to a link straight, without its form's CSRF cookie, as someone
// replaying a link would.
func postAnswer(t *testing.T, link, answer string) int {
	t.Helper()
	resp, err := http.PostForm(link, url.Values{"answer": {answer}, "employer": {"PT X"}, "start": {time.Now().Format(time.DateOnly)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// unchanged says a case's read-model row is as it was (same version, stage and outcome).
// unchanged fails when a refused link changed the case: its stage, outcome or placement, or a
// report or contact on its timeline since was was read (the follow-ups' own timers may commit
// in between, so the row's version is not compared).
func unchanged(t *testing.T, sys *system, was store.Case) {
	t.Helper()
	c, err := sys.store.GetCase(context.Background(), was.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Stage != was.Stage || c.Outcome != was.Outcome || c.PlacementCategory != was.PlacementCategory || c.PlacementSelfReported != was.PlacementSelfReported {
		t.Fatalf("case %s changed: stage %s→%s, outcome %s→%s, placement %s→%s", was.CaseID, was.Stage, c.Stage, was.Outcome, c.Outcome, was.PlacementCategory, c.PlacementCategory)
	}
	evs, err := sys.store.CaseEvents(context.Background(), was.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if (e.Kind == "placement-reported" || e.Kind == "follow-up-contact") && e.At.After(was.UpdatedAt) {
			t.Fatalf("case %s got a %s after the refusal: %s", was.CaseID, e.Kind, e.Detail)
		}
	}
}

// laporLink finds a self-report link in a message.
var laporLink = regexp.MustCompile(`https?://[^\s]+/lapor/[^\s]+`)

func rawGet(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := fmt.Fprint(&b, readAll(t, resp)); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d %s", resp.StatusCode, b.String())
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	var v json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", resp.Request.URL, err)
	}
	return string(v)
}

func verifyJSON(t *testing.T, c *http.Client, u string) selfreport.Verification {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v selfreport.Verification
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
