package bench

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The registry's welding package, whose MoUs the seed makes active: every benchmark cohort
// trains there, so no journey waits for an agreement.
const (
	benchCentre = "BLK-SBY"
	benchLSP    = "LSP-BLK-SBY"
	benchScheme = "SKM-LAS"
	benchTrade  = "Las (welding)"
)

// The actors the bodies name; with tokens the API replaces them with the token's identity.
var (
	admin   = workflows.Actor{ID: "bench-admin", Role: vocab.RoleCentreAdmin}
	manager = workflows.Actor{ID: "bench-manager", Role: vocab.RoleLSPManager}
)

// cohortRun is one package of the throughput phase, followed by its admin and LSP manager.
type cohortRun struct {
	code     string
	days     int
	launched time.Time
	// start and end are the package's first and last training day: a journey waits for
	// these dates, however long its steps before them took.
	start, end time.Time
	ids        []string
	closed     map[string]time.Time
	checked    map[string]bool // closed cases whose outcome the list has shown
	insured    bool
}

// launched is a cohort created and imported, or why not.
type launched struct {
	c   *cohortRun
	err error
}

// action is one person's step on one case, sent through the API by send.
type action struct {
	caseID, step string
	send         func(ctx context.Context) error
}

// peopleResult is how the journeys of a throughput phase went.
type peopleResult struct {
	ids        []string
	latencies  []time.Duration
	first      time.Time
	last       time.Time
	unexpected int
	errors     int
	lead       time.Duration
	maxLead    time.Duration
	took       []time.Duration // how long the latest cohorts took to get insured
	closes     []time.Time     // when each one closed
	held       int             // launches held back by maxUninsured
	cohorts    []*cohortRun    // the journeys' cohorts (none for same-shape workflows)
}

// driveJourneys takes n journeys from enrolment to a placement, keeping at most inFlight open:
// cohorts are created and imported through the API, and the centre admin and the LSP manager
// look at each cohort's case list every poll interval and act on what waits for them, through
// the API, as the pages and the CLI do.
func (r *runner) driveJourneys(ctx context.Context, n, inFlight int) (peopleResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := peopleResult{lead: r.o.Lead, maxLead: r.o.Lead}
	actions := make(chan action, 4*inFlight)
	var senders sync.WaitGroup
	var errMu sync.Mutex
	var failed []string // steps to send again, guarded by errMu
	// A formal placement closes the journey in the workflow task that answers it: its answer
	// is the close, as a same-shape workflow's return is. (Seen at the people's next look at
	// the list instead, each place stayed taken half a poll interval longer on average.)
	answered := make(chan string, n)
	// People act independently: enough of them that nobody waits for another's answer.
	for range 64 {
		senders.Add(1)
		go func() {
			defer senders.Done()
			for a := range actions {
				err := a.send(ctx)
				switch {
				case err == nil && a.step == stepPlacement:
					answered <- a.caseID
				case err != nil && ctx.Err() == nil:
					errMu.Lock()
					res.errors++
					failed = append(failed, a.caseID+"/"+a.step)
					errMu.Unlock()
					r.o.Logger.Warn("bench: step failed; will retry", "case", a.caseID, "step", a.step, "error", err)
				}
			}
		}()
	}
	defer func() { close(actions); senders.Wait() }()

	launches := make(chan launched, inFlight)
	active := map[string]*cohortRun{}
	cohortOf := map[string]*cohortRun{}
	sent := map[string]bool{}
	started, open, closedTotal, launching := 0, 0, 0, 0
	// closed records a journey's close once, when its placement is answered or the list shows
	// it closed, whichever comes first, and frees its place.
	closed := func(c *cohortRun, id string, now time.Time) {
		if _, seen := c.closed[id]; seen {
			return
		}
		c.closed[id] = now
		res.latencies = append(res.latencies, now.Sub(c.launched))
		res.closes = append(res.closes, now)
		closedTotal++
		// A journey's place frees when it closes, as a same-shape workflow's does: freed per
		// cohort, the slowest of 16 held the other 15 places empty for the last steps' poll lag.
		open--
		res.last = now
	}
	tick := time.NewTicker(r.o.PollInterval)
	defer tick.Stop()
	res.first = time.Now()
	// After the last close the lists are still read until each closed journey's outcome has
	// been seen there.
	for closedTotal < n || len(active) > 0 || launching > 0 {
		// A new cohort for each cohort's room there is, as the same-shape side admits them,
		// but only while few cohorts are still being enrolled and insured: the work queued in
		// front of a cohort's insurance must stay well inside its lead, or it starts training
		// uninsured. (One per look at the lists kept fewer journeys open than the same-shape
		// side had workflows, with the same latency: the throughput ratio measured that.)
		for started < n && open+min(r.o.CohortSize, n-started) <= inFlight {
			if launching+r.uninsured(active) >= r.maxUninsured() {
				res.held++
				break
			}
			size := min(r.o.CohortSize, n-started)
			started += size
			open += size
			launching++
			go func(lead time.Duration) {
				c, err := r.launchCohort(ctx, size, lead)
				launches <- launched{c, err}
			}(res.lead)
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case id := <-answered:
			if c := cohortOf[id]; c != nil {
				closed(c, id, time.Now())
			}
			continue // a place may be free: launch before the next look at the lists
		case l := <-launches:
			launching--
			if l.err != nil {
				return res, l.err
			}
			active[l.c.code] = l.c
			for _, id := range l.c.ids {
				cohortOf[id] = l.c
			}
			res.ids = append(res.ids, l.c.ids...)
			res.cohorts = append(res.cohorts, l.c)
			continue
		case <-tick.C:
		}
		errMu.Lock()
		for _, key := range failed {
			delete(sent, key)
		}
		failed = nil
		errMu.Unlock()
		lists, err := r.caseLists(ctx, active)
		if err != nil {
			return res, err
		}
		for code, c := range active {
			rows := lists[code]
			now := time.Now()
			insured := 0
			for _, row := range rows {
				step := r.nextStep(c, row)
				if step != nil && !sent[row.CaseID+"/"+step.step] {
					sent[row.CaseID+"/"+step.step] = true
					actions <- *step
				}
				if vocab.StageInsurance.Before(row.Stage) {
					insured++
				}
				if row.Stage == vocab.StageClosed && !c.checked[row.CaseID] {
					c.checked[row.CaseID] = true
					closed(c, row.CaseID, now)
					if row.Outcome != vocab.OutcomePlacedFormal {
						res.unexpected++
						r.o.Logger.Warn("bench: journey closed with an unexpected outcome", "case", row.CaseID, "outcome", row.Outcome)
					}
				}
			}
			if !c.insured && insured == len(c.ids) {
				c.insured = true
				res.took = append(res.took, now.Sub(c.launched))
				if len(res.took) > leadWindow {
					res.took = res.took[1:]
				}
				if lead := r.nextLead(res.took); lead != res.lead {
					phaseLine(r.o.Progress, "journeys: lead %.0fs (a cohort took %.0fs to get insured), %d of %d closed", lead.Seconds(), now.Sub(c.launched).Seconds(), closedTotal, n)
					res.lead = lead
				}
				res.maxLead = max(res.maxLead, res.lead)
			}
			if len(c.checked) == len(c.ids) {
				delete(active, code)
			}
		}
	}
	return res, nil
}

// stepPlacement is the people's last step: its answer closes a formally placed journey.
const stepPlacement = "placement"

// maxUninsured bounds the cohorts between creation and insurance: 3 for the default lead of
// 10 s, more in proportion for a longer one, which leaves its cohorts as much more time to get
// insured before their first training day.
func (r *runner) maxUninsured() int {
	return max(3, int(3*r.o.Lead/(10*time.Second)))
}

// uninsured counts the active cohorts not all insured yet.
func (r *runner) uninsured(active map[string]*cohortRun) int {
	n := 0
	for _, c := range active {
		if !c.insured {
			n++
		}
	}
	return n
}

// caseLists reads the case list of every active cohort, several at once, as the admins of
// several centres look at theirs.
func (r *runner) caseLists(ctx context.Context, active map[string]*cohortRun) (map[string][]store.Case, error) {
	codes := make([]string, 0, len(active))
	for code := range active {
		codes = append(codes, code)
	}
	lists := make([][]store.Case, len(codes))
	err := forEach(len(codes), 8, func(i int) error {
		var err error
		if lists[i], err = r.api.ListCases(ctx, apiclient.CaseFilter{Package: codes[i], Limit: 1000}); err != nil {
			return fmt.Errorf("list cases of %s: %w", codes[i], err)
		}
		return nil
	})
	out := make(map[string][]store.Case, len(codes))
	for i, code := range codes {
		out[code] = lists[i]
	}
	return out, err
}

// leadWindow is how many of the latest cohorts' insurance times set the lead.
const leadWindow = 8

// nextLead keeps a cohort's first training day after its insurance: a journey that reaches its
// start date uninsured is marked stuck, which is right for a late cohort but not the path being
// measured. The lead stays at --lead, so the work of a journey does not depend on the load,
// unless one of the latest cohorts took more than half of it to get insured; then it is twice
// what the slowest of them took. It comes back down once the slow ones are out of the window:
// a lead that only grew let one stall (a checkpoint, a burst elsewhere on the machine) stretch
// every later journey, and with at most --in-flight open, throughput fell with it (1,000
// journeys measured 0.25 of the engine where 320 measured 0.95).
func (r *runner) nextLead(took []time.Duration) time.Duration {
	lead := r.o.Lead
	for _, d := range took {
		lead = max(lead, 2*d)
	}
	return lead
}

// nextStep is what the admin or the manager does for a case in this state, if anything.
func (r *runner) nextStep(c *cohortRun, row store.Case) *action {
	id := row.CaseID
	switch row.Stage {
	case vocab.StageEnrolment:
		if row.WaitingOn == vocab.WaitingCentreAdmin {
			d := workflows.EnrolmentDecision{Actor: admin, Approve: true}
			return &action{id, "enrolment", func(ctx context.Context) error {
				_, err := r.api.DecideEnrolment(ctx, id, d)
				return err
			}}
		}
	case vocab.StageTraining:
		// In absence mode (the benchmark's) nobody records anything for full attendance.
		if r.sys.cfg.Journey.AttendanceMode == "presence" {
			days := c.days
			a := workflows.Attendance{Actor: admin, Attended: &days}
			return &action{id, "attendance", func(ctx context.Context) error {
				_, err := r.api.RecordAttendance(ctx, id, a)
				return err
			}}
		}
	case vocab.StageCertification:
		if row.WaitingOn == vocab.WaitingLSPManager {
			d := workflows.CertificationDecision{Actor: manager, Approve: true}
			return &action{id, "certification", func(ctx context.Context) error {
				_, err := r.manager.DecideCertification(ctx, id, d)
				return err
			}}
		}
	case vocab.StagePlacement:
		p := workflows.PlacementReport{Actor: admin, Category: vocab.PlacementFormal, Employer: "PT Baja Sidoarjo", Start: time.Now()}
		return &action{id, stepPlacement, func(ctx context.Context) error {
			_, err := r.api.ReportPlacement(ctx, id, p)
			return err
		}}
	}
	return nil
}

// launchCohort creates a package that starts after lead and imports a generated cohort into it
// through the API, as `kompeten package create` and `kompeten import` do.
func (r *runner) launchCohort(ctx context.Context, size int, lead time.Duration) (*cohortRun, error) {
	code := fmt.Sprintf("%s-%05d", r.prefix, r.nextPackage())
	now := time.Now()
	start := now.Add(lead)
	end := start.Add(r.o.Training)
	if _, err := r.api.CreatePackage(ctx, api.PackageRequest{
		Code: code, Centre: benchCentre, Trade: benchTrade, Scheme: benchScheme, LSP: benchLSP,
		Start: start.Format(time.RFC3339Nano), End: end.Format(time.RFC3339Nano), Capacity: size, Hours: 240,
	}); err != nil {
		return nil, fmt.Errorf("create package %s: %w", code, err)
	}
	loc := r.sys.svc.Location()
	csv, err := r.cohortCSV(size, start.In(loc))
	if err != nil {
		return nil, err
	}
	ids, err := r.importCohort(ctx, code, csv, start.In(loc), r.api, 0)
	if err != nil {
		return nil, err
	}
	return &cohortRun{code: code, days: starter.TrainingDays(start, end, loc), launched: now, start: start, end: end, ids: ids,
		closed: map[string]time.Time{}, checked: map[string]bool{}}, nil
}

// importCohort reads a cohort export and imports it into a package with the importer, through
// enr; every row must start a journey. It returns the case IDs.
func (r *runner) importCohort(ctx context.Context, code string, csv []byte, start time.Time, enr importer.Enroller, batch int) ([]string, error) {
	rows, err := cohort.ReadCSV(bytes.NewReader(csv))
	if err != nil {
		return nil, fmt.Errorf("read generated cohort: %w", err)
	}
	rep, err := importer.Run(ctx, rows, code, enr, importer.Options{BatchSize: batch, Rules: r.rules(start)})
	if err != nil {
		return nil, fmt.Errorf("import into %s: %w", code, err)
	}
	ids := make([]string, 0, len(rep.Rows))
	for _, row := range rep.Rows {
		if row.Outcome != starter.OutcomeStarted {
			return nil, fmt.Errorf("import into %s: row %d: %s %s", code, row.Line, row.Outcome, row.Reason)
		}
		ids = append(ids, row.CaseID)
	}
	return ids, nil
}

// cohortCSV writes a generated export (the generator is shared, so NIKs never repeat in a run).
func (r *runner) cohortCSV(size int, start time.Time) ([]byte, error) {
	r.genMu.Lock()
	defer r.genMu.Unlock()
	var buf bytes.Buffer
	if err := r.gen.WriteCSV(&buf, size, start); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (r *runner) rules(start time.Time) cohort.Rules {
	return cohort.Rules{StartDate: start, MinAge: r.sys.cfg.Journey.MinAge, MaxAge: r.sys.cfg.Journey.MaxAge}
}

func (r *runner) nextPackage() int {
	r.genMu.Lock()
	defer r.genMu.Unlock()
	r.packages++
	return r.packages
}
