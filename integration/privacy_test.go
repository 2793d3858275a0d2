package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/metrics"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// syncBuffer collects the logs of every goroutine of the system.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// secret is one piece of personal data from the cohort file.
type secret struct{ kind, value string }

// cohortSecrets lists the NIK, full name and phone number of every row of the sample cohort,
// rejected rows included: their data must not leak either. Phone numbers are searched without
// the leading 0 so that +62 forms match too.
func cohortSecrets(t *testing.T) []secret {
	t.Helper()
	rows, err := cohort.Open(sampleCohort)
	if err != nil {
		t.Fatal(err)
	}
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	seen := map[string]bool{}
	var out []secret
	add := func(kind, v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, secret{kind, v})
		}
	}
	for _, r := range rows {
		if n := digits(r.NIK); len(n) >= 15 && !strings.ContainsAny(r.NIK, "Ee") {
			add("NIK", n)
		}
		if name := strings.TrimSpace(r.Name); len([]rune(name)) >= 5 {
			add("name", strings.ToLower(name))
		}
		p := strings.TrimPrefix(strings.TrimPrefix(digits(r.Phone), "62"), "0")
		if len(p) >= 8 {
			add("phone", p)
		}
	}
	if len(out) < 3*28 {
		t.Fatalf("only %d secrets from the sample cohort", len(out))
	}
	return out
}

// leaks reports every secret found in data (names case-insensitively).
func leaks(where string, data []byte, secrets []secret) []string {
	lower := bytes.ToLower(data)
	var out []string
	for _, s := range secrets {
		hay := data
		if s.kind == "name" {
			hay = lower
		}
		if i := bytes.Index(hay, []byte(s.value)); i >= 0 {
			from, to := max(0, i-60), min(len(data), i+len(s.value)+60)
			out = append(out, fmt.Sprintf("%s: %s %q in …%q…", where, s.kind, s.value, data[from:to]))
		}
	}
	return out
}

// The acceptance: a cohort imported and run on a server persisting to a SQLite file
// leaves no NIK, name or phone number of it in that file (and its WAL), in the visibility
// records, workflow IDs, the histories even once decrypted, the metrics, or the logs.
// Positive controls make sure each scan sees what it scans: workflow IDs are in the file, a
// canary sent in clear is found, the same canary sent through kompeten's client is not.
func TestNoPersonalDataInTemporalLogsOrMetrics(t *testing.T) {
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dbFile := filepath.Join(t.TempDir(), "temporal.db")
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence" // nobody recorded absent: everyone graduates
	// Follow-ups a minute apart keep graduates in placement until the test reports one placed.
	cfg.Journey.Month = 30 * time.Second
	sys := startSystemWith(t, cfg, systemOptions{DatabaseFile: dbFile, Logger: logger, ServerLogLevel: slog.LevelInfo})
	ctx := context.Background()
	secrets := cohortSecrets(t)

	now := time.Now()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-PRIVACY", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(3 * time.Second).Format(time.RFC3339), End: now.Add(6 * time.Second).Format(time.RFC3339),
		Capacity: 40, AutoApprove: true,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	// Everyone consents to messages, so the messages to trainees run for all 28 (issue 18).
	ids := importCohort(t, sys, pkg, consentingCohort(t))

	// Run the journeys a bit: everyone is insured, trained and assessed; people act on a few.
	for _, id := range ids {
		sys.caseIn(id, vocab.StageCertification, 60*time.Second)
	}
	manager := workflows.Actor{ID: "lsp-mgr-1", Role: vocab.RoleLSPManager}
	admin := workflows.Actor{ID: "centre-admin-1", Role: vocab.RoleCentreAdmin}
	var res workflows.UpdateResult
	for _, id := range ids[:3] {
		sys.approveCertification(manager, id)
	}
	sys.caseIn(ids[0], vocab.StagePlacement, 20*time.Second)
	if code := sys.call("POST", "/api/v1/cases/"+ids[0]+"/placement", workflows.PlacementReport{
		Actor: admin, Category: vocab.PlacementFormal, Employer: "PT Maju Jaya", Start: time.Now()}, &res); code != http.StatusOK {
		t.Fatalf("placement: HTTP %d", code)
	}
	if code := sys.call("POST", "/api/v1/cases/"+ids[4]+"/withdrawal", workflows.Withdrawal{Actor: admin, Reason: "moved away"}, &res); code != http.StatusOK {
		t.Fatalf("withdraw: HTTP %d", code)
	}
	// Looking a person up by NIK must not leave the NIK in a log either.
	var found []store.Case
	if code := sys.call("POST", "/api/v1/cases/lookup", api.LookupRequest{NIK: secrets[0].value}, &found); code != http.StatusOK {
		t.Fatalf("lookup: HTTP %d", code)
	}
	sys.caseIn(ids[0], vocab.StageClosed, 20*time.Second)
	sys.caseIn(ids[4], vocab.StageClosed, 20*time.Second)

	var problems []string
	check := func(where string, data []byte) { problems = append(problems, leaks(where, data, secrets)...) }

	// The messages went out (enrolment, BPJS and assessment of each case at least), so their
	// activities are in the histories and logs scanned below; the simulator's outbox holds the
	// numbers, as the provider does, and the scan sees them there (a positive control).
	eventually(t, 60*time.Second, "messages to every trainee", func() (bool, string) {
		n := len(sys.sims.WhatsApp.Outbox())
		return n >= 3*len(ids), fmt.Sprintf("%d messages in the outbox", n)
	})
	outbox, _ := json.Marshal(sys.sims.WhatsApp.Outbox())
	if len(leaks("outbox", outbox, secrets)) == 0 {
		t.Fatal("the scan sees no phone number in the WhatsApp simulator's outbox: it would not see one leak")
	}

	// Visibility: every record with its search attributes and memo, and the workflow IDs.
	var execs []string
	var token []byte
	for {
		resp, err := sys.tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: cfg.Temporal.Namespace, PageSize: 100, NextPageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range resp.GetExecutions() {
			b, err := proto.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			check("visibility record "+e.GetExecution().GetWorkflowId(), b)
			check("workflow id", []byte(e.GetExecution().GetWorkflowId()))
			execs = append(execs, e.GetExecution().GetWorkflowId())
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	if len(execs) < len(ids) {
		t.Fatalf("visibility lists %d workflows, want at least %d", len(execs), len(ids))
	}

	// Histories: as stored, and decrypted with the codec (the design keeps personal data out of
	// workflows altogether; encryption is the second line).
	ring, err := temporalclient.Keyring(cfg)
	if err != nil {
		t.Fatal(err)
	}
	aes := codec.NewAESCodec(ring)
	encrypted, plainPayloads := 0, 0
	for _, wid := range execs {
		h := &historypb.History{}
		it := sys.tc.GetWorkflowHistory(ctx, wid, "", false, 0)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			h.Events = append(h.Events, ev)
		}
		raw, _ := proto.Marshal(h)
		check("history of "+wid, raw)
		err := proxy.VisitPayloads(ctx, h, proxy.VisitPayloadsOptions{
			SkipSearchAttributes: true,
			Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
				for _, p := range ps {
					if codec.IsEncrypted(p) {
						encrypted++
					} else {
						plainPayloads++
					}
				}
				return aes.Decode(ps)
			},
		})
		if err != nil {
			t.Fatalf("decode history of %s: %v", wid, err)
		}
		dec, _ := proto.Marshal(h)
		check("decrypted history of "+wid, dec)
	}
	if encrypted == 0 || plainPayloads != 0 {
		t.Errorf("histories hold %d encrypted and %d plain payloads; every payload must be encrypted", encrypted, plainPayloads)
	}

	// Metrics: labels carry codes, never a person or a case.
	metrics.Default.WatchCases(app.CaseCounts(sys.store), 0)
	rec := httptest.NewRecorder()
	metrics.Default.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	scraped := rec.Body.Bytes()
	check("metrics", scraped)
	for _, id := range ids {
		if bytes.Contains(scraped, []byte(id)) {
			t.Errorf("metrics carry case ID %s", id)
		}
	}
	for _, want := range []string{`kompeten_cases{centre="BLK-SBY",stage="certification"}`, `kompeten_partner_call_duration_seconds_count{operation="register",outcome="ok",partner="BPJSTK-JATIM"}`, "temporal_request"} {
		if !bytes.Contains(scraped, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}

	// Canaries: a value sent in clear lands in the file; sent through kompeten's client, not.
	plainCanary, sealedCanary := "canary-plain-"+randomHex(t), "canary-sealed-"+randomHex(t)
	plain, err := client.Dial(client.Options{HostPort: sys.server.HostPort(), Namespace: cfg.Temporal.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	opts := client.StartWorkflowOptions{TaskQueue: "privacy-canary"}
	opts.ID = "canary-plain"
	if _, err := plain.ExecuteWorkflow(ctx, opts, "Canary", plainCanary); err != nil {
		t.Fatal(err)
	}
	plain.Close()
	opts.ID = "canary-sealed"
	if _, err := sys.tc.ExecuteWorkflow(ctx, opts, "Canary", sealedCanary); err != nil {
		t.Fatal(err)
	}

	// The server's file, after a clean stop so everything written is on disk (file and WAL).
	sys.server.Stop()
	sys.server = nil
	var file []byte
	for _, f := range []string{dbFile, dbFile + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		check(filepath.Base(f), b)
		file = append(file, b...)
	}
	if !bytes.Contains(file, []byte(plainCanary)) {
		t.Fatalf("the scan of the SQLite file (%d bytes) does not see a payload written in clear", len(file))
	}
	if bytes.Contains(file, []byte(sealedCanary)) {
		t.Error("a payload written through kompeten's client is in clear in the SQLite file")
	}
	for _, wid := range execs {
		if !bytes.Contains(file, []byte(wid)) {
			t.Fatalf("workflow %s is not in the SQLite file: the scan looks at the wrong file", wid)
		}
	}

	// Logs of every component, the embedded server's included.
	captured := logs.Bytes()
	check("logs", captured)
	seenCase := false
	for _, id := range ids {
		seenCase = seenCase || bytes.Contains(captured, []byte(id))
	}
	if !seenCase {
		t.Errorf("the captured logs (%d bytes) mention no case: they are not the system's logs", len(captured))
	}
	t.Logf("scanned %d secrets in %d bytes of SQLite, %d visibility records, %d payloads, %d bytes of logs, %d bytes of metrics",
		len(secrets), len(file), len(execs), encrypted, len(captured), len(scraped))
	if len(problems) > 0 {
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Sprintf("… and %d more", len(problems)-20))
		}
		t.Fatalf("personal data found where it does not belong:\n%s", strings.Join(problems, "\n"))
	}
}

// consentingCohort is the sample cohort with a persetujuan_pesan column saying "ya" on every
// row: the same 28 valid rows, each consenting to messages.
func consentingCohort(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(sampleCohort)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] += ",persetujuan_pesan"
		} else {
			lines[i] += ",ya"
		}
	}
	path := filepath.Join(t.TempDir(), "cohort-consenting.csv")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
