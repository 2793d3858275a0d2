package simulator_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// testClock is a settable clock shared by the simulators of one test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// pool is a connection pool on a fresh, migrated database.
func pool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	_, st := testdb.NewMigrated(t)
	return st.Pool()
}

// registration is the body of a registration of person n.
func registration(n int) string {
	return fmt.Sprintf(`{"nik":"35150141019900%02d","name":"Peserta %d","birth_date":"1999-01-01T00:00:00Z","centre":"BLK-SDA",
"coverage_start":"2027-03-01T00:00:00Z","coverage_end":"2027-04-30T00:00:00Z","declared_income":1000000,
"monthly_fee":16800,"programs":["JKK","JKM"]}`, n, n)
}

func key(k string) map[string]string { return map[string]string{"Idempotency-Key": k} }

func openBPJS(t *testing.T, p *pgxpool.Pool, clk *testClock) *simulator.BPJS {
	t.Helper()
	s, err := simulator.OpenBPJS(context.Background(), simulator.Config{Now: clk.Now}, p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A BPJS simulator started again on the same database answers every key as before, keeps each
// member's KPJ, numbers on without reusing a number, remembers ended coverages and an outage in
// progress.
func TestBPJSContinuesOnTheSameDatabase(t *testing.T) {
	p := pool(t)
	clk := &testClock{t: time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)}
	first := openBPJS(t, p, clk)
	kpjs := map[string]string{}
	for n, k := range []string{"a-1", "b-1"} {
		code, body := call(t, first, "POST", "/v1/registrations", registration(n), key(k))
		if code != 201 {
			t.Fatalf("register %s: %d %v", k, code, body)
		}
		kpjs[k] = body["kpj"].(string)
	}
	if kpjs["a-1"] != "23000000001" || kpjs["b-1"] != "23000000002" {
		t.Fatalf("numbers %v", kpjs)
	}
	if code, body := call(t, first, "POST", "/v1/registrations/23000000001/end", `{"end_date":"2027-03-15T00:00:00Z"}`, key("a-end")); code != 200 {
		t.Fatalf("end: %d %v", code, body)
	}
	if code, _ := call(t, first, "POST", "/sim/outage", `{"duration":"1h"}`, nil); code != 200 {
		t.Fatalf("start outage: %d", code)
	}

	// Started again: the outage is still on.
	again := openBPJS(t, p, clk)
	if code, body := call(t, again, "POST", "/v1/registrations", registration(2), key("c-1")); code != 503 || body["code"] != "outage" {
		t.Fatalf("during the outage after a restart: %d %v", code, body)
	}
	if code, _ := call(t, again, "DELETE", "/sim/outage", "", nil); code != 204 {
		t.Fatalf("end outage: %d", code)
	}
	code, body := call(t, again, "POST", "/v1/registrations", registration(0), key("a-1"))
	if code != 200 || body["kpj"] != "23000000001" || body["coverage_end"] != "2027-03-15T00:00:00Z" {
		t.Fatalf("the first key again: %d %v, want its KPJ with the shortened coverage", code, body)
	}
	code, body = call(t, again, "POST", "/v1/registrations", registration(2), key("c-1"))
	if code != 201 || body["kpj"] != "23000000003" {
		t.Fatalf("a new person: %d %v, want the next number 23000000003", code, body)
	}
	code, body = call(t, again, "POST", "/v1/registrations", registration(1), key("b-2"))
	if code != 201 || body["kpj"] != "23000000002" {
		t.Fatalf("a known person under a new key: %d %v, want their KPJ 23000000002", code, body)
	}
	if code, body := call(t, again, "POST", "/v1/registrations/23000000001/end", `{"end_date":"2027-03-20T00:00:00Z"}`, key("a-end")); code != 200 || body["coverage_end"] != "2027-03-15T00:00:00Z" {
		t.Fatalf("the end key again: %d %v, want the stored answer", code, body)
	}
	st := again.Stats()
	if st.Registrations != 4 || st.People != 3 || st.EndedCoverages != 1 || st.RegistrationsByKey["a-1"] != 1 {
		t.Fatalf("stats after the restart: %+v", st)
	}

	// A third start: the outage ended for good.
	third := openBPJS(t, p, clk)
	if third.InOutage() {
		t.Fatal("an ended outage came back after a restart")
	}
	if n := third.RegistrationCount(); n != 4 {
		t.Fatalf("%d registrations after the second restart, want 4", n)
	}
}

// A number handed out by mistake is answered for its key (also after a restart) but is not the
// person's: the person asked again under a new key gets a number of their own.
func TestBPJSMistakeIsNotThePersonsNumber(t *testing.T) {
	p := pool(t)
	clk := &testClock{t: time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)}
	s := openBPJS(t, p, clk)
	if _, body := call(t, s, "POST", "/v1/registrations", registration(0), key("a-1")); body["kpj"] != "23000000001" {
		t.Fatalf("first: %v", body)
	}
	if code, _ := call(t, s, "POST", "/sim/mistake", `{"number":"23000000001"}`, nil); code != 204 {
		t.Fatalf("mistake: %d", code)
	}
	if _, body := call(t, s, "POST", "/v1/registrations", registration(1), key("b-1")); body["kpj"] != "23000000001" {
		t.Fatalf("the mistaken answer: %v, want another person's 23000000001", body)
	}
	again := openBPJS(t, p, clk)
	if _, body := call(t, again, "POST", "/v1/registrations", registration(1), key("b-1")); body["kpj"] != "23000000001" {
		t.Fatalf("the mistaken key after a restart: %v", body)
	}
	if _, body := call(t, again, "POST", "/v1/registrations", registration(1), key("b-2")); body["kpj"] != "23000000002" {
		t.Fatalf("asked again: %v, want the person's own 23000000002", body)
	}
}

// An LSP simulator started again on the same database still knows every assessment: one in
// flight (no result yet) gets its result, one already read keeps it whatever the BK rate now,
// a key asked again gets its schedule, certificates stay one per assessment, and assessment and
// certificate numbers go on. Each LSP numbers on its own.
func TestLSPContinuesOnTheSameDatabase(t *testing.T) {
	p := pool(t)
	ctx := context.Background()
	clk := &testClock{t: time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC)}
	open := func(code string, bk float64) *simulator.LSP {
		t.Helper()
		s, err := simulator.OpenLSP(ctx, simulator.LSPConfig{
			Config: simulator.Config{Now: clk.Now}, Code: code, ScheduleLead: time.Hour, ResultDelay: time.Hour, BKRate: bk,
		}, p)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	schedule := func(s *simulator.LSP, k, ref string) map[string]any {
		t.Helper()
		code, body := call(t, s, "POST", "/v1/assessments",
			`{"scheme":"SKM-LAS","package":"P","candidate_ref":"`+ref+`","candidate_name":"Budi","not_before":"2027-05-01T00:00:00Z"}`, key(k))
		if code != 201 && code != 200 {
			t.Fatalf("schedule %s: %d %v", k, code, body)
		}
		return body
	}
	issue := func(s *simulator.LSP, k, id, ref string) (int, map[string]any) {
		return call(t, s, "POST", "/v1/certificates", `{"assessment_id":"`+id+`","scheme":"SKM-LAS","candidate_ref":"`+ref+`"}`, key(k))
	}

	first := open("LSP-T", 0)
	if id := schedule(first, "a-1", "case-a")["assessment_id"]; id != "ASM-000001" {
		t.Fatalf("first assessment %v", id)
	}
	clk.Advance(90 * time.Minute)
	if id := schedule(first, "b-1", "case-b")["assessment_id"]; id != "ASM-000002" {
		t.Fatalf("second assessment %v", id)
	}
	clk.Advance(90 * time.Minute) // a's result is available, b's not yet
	if code, body := call(t, first, "GET", "/v1/assessments/ASM-000001/result", "", nil); code != 200 {
		t.Fatalf("result a: %d %v", code, body)
	}
	if code, _ := call(t, first, "GET", "/v1/assessments/ASM-000002/result", "", nil); code != 202 {
		t.Fatalf("result b before its time: %d, want 202 pending", code)
	}
	code, cert := issue(first, "a-cert", "ASM-000001", "case-a")
	if code != 201 || cert["number"] != "LSP-T/2027/000001" {
		t.Fatalf("certificate a: %d %v", code, cert)
	}

	// Started again with every unit BK from now on.
	again := open("LSP-T", 1)
	code, body := call(t, again, "GET", "/v1/assessments/ASM-000001/result", "", nil)
	if code != 200 || fmt.Sprint(body["units"]) != fmt.Sprint([]any{map[string]any{"unit": "SKM-LAS.U01", "result": "K"}, map[string]any{"unit": "SKM-LAS.U02", "result": "K"},
		map[string]any{"unit": "SKM-LAS.U03", "result": "K"}, map[string]any{"unit": "SKM-LAS.U04", "result": "K"}, map[string]any{"unit": "SKM-LAS.U05", "result": "K"}}) {
		t.Fatalf("a's result after the restart: %d %v, want the all-K result it had", code, body)
	}
	clk.Advance(time.Hour)
	if code, body := call(t, again, "GET", "/v1/assessments/ASM-000002/result", "", nil); code != 200 || body["assessment_id"] != "ASM-000002" {
		t.Fatalf("the assessment in flight after the restart: %d %v, want its result", code, body)
	}
	if id := schedule(again, "a-1", "case-a")["assessment_id"]; id != "ASM-000001" {
		t.Fatalf("the first key again: %v", id)
	}
	if code, c := issue(again, "a-cert-2", "ASM-000001", "case-a"); code != 200 || c["number"] != "LSP-T/2027/000001" {
		t.Fatalf("a second certificate request for a: %d %v, want the first certificate", code, c)
	}

	third := open("LSP-T", 0)
	if id := schedule(third, "c-1", "case-c")["assessment_id"]; id != "ASM-000003" {
		t.Fatalf("a new assessment after two restarts: %v, want ASM-000003", id)
	}
	clk.Advance(3 * time.Hour)
	if code, c := issue(third, "c-cert", "ASM-000003", "case-c"); code != 201 || c["number"] != "LSP-T/2027/000002" {
		t.Fatalf("a new certificate after two restarts: %d %v, want LSP-T/2027/000002", code, c)
	}
	if st := third.Stats(); st.Assessments != 3 || st.Certificates != 2 {
		t.Fatalf("stats: %+v", st)
	}
	if id := schedule(open("LSP-U", 0), "u-1", "case-u")["assessment_id"]; id != "ASM-000001" {
		t.Fatalf("another LSP's first assessment: %v", id)
	}
}

// When the database cannot take a change, the simulator answers 503 and forgets nothing it had
// not written: memory and database stay the same.
func TestSimulatorRefusesWhatItCannotRecord(t *testing.T) {
	_, st := testdb.NewMigrated(t)
	ctx := context.Background()
	p, err := pgxpool.New(ctx, st.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	clk := &testClock{t: time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)}
	s := openBPJS(t, p, clk)
	p.Close()
	if code, body := call(t, s, "POST", "/v1/registrations", registration(0), key("a-1")); code != 503 {
		t.Fatalf("register without a database: %d %v, want 503", code, body)
	}
	if code, _ := call(t, s, "POST", "/sim/outage", `{"duration":"1h"}`, nil); code != 500 {
		t.Fatalf("outage without a database: %d, want 500", code)
	}
	if s.RegistrationCount() != 0 || s.InOutage() {
		t.Fatalf("memory changed without the database: %d registrations, outage %v", s.RegistrationCount(), s.InOutage())
	}
	again := openBPJS(t, st.Pool(), clk)
	if code, body := call(t, again, "POST", "/v1/registrations", registration(0), key("a-1")); code != 201 || body["kpj"] != "23000000001" {
		t.Fatalf("after the database is back: %d %v", code, body)
	}
}
