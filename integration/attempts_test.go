package integration

import (
	"context"
	"net/http"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
)

// attempt is one execution of an activity by the in-process worker: when it began and ended
// (this process's monotonic clock) and whether it failed.
type attempt struct {
	Workflow string
	Start    time.Time
	End      time.Time
	Err      error
}

// attemptLog records every attempt of one activity type, as a worker interceptor. Its times
// come from the process that runs the attempt, so they can be compared with moments the test
// itself marks (a stop, a restart) without trusting any other clock.
type attemptLog struct {
	interceptor.WorkerInterceptorBase
	activityType string

	mu       sync.Mutex
	attempts []attempt
}

func newAttemptLog(activityType string) *attemptLog {
	return &attemptLog{activityType: activityType}
}

// InterceptActivity wraps each activity execution.
func (l *attemptLog) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &attemptInterceptor{log: l}
	i.Next = next
	return i
}

// all returns a copy of the attempts so far; one still running has a zero End.
func (l *attemptLog) all() []attempt {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]attempt(nil), l.attempts...)
}

type attemptInterceptor struct {
	interceptor.ActivityInboundInterceptorBase
	log *attemptLog
}

func (i *attemptInterceptor) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	info := activity.GetInfo(ctx)
	if info.ActivityType.Name != i.log.activityType {
		return i.Next.ExecuteActivity(ctx, in)
	}
	// Recorded as it begins, so an attempt still on its way is known too.
	i.log.mu.Lock()
	n := len(i.log.attempts)
	i.log.attempts = append(i.log.attempts, attempt{Workflow: info.WorkflowExecution.ID, Start: time.Now()})
	i.log.mu.Unlock()
	out, err := i.Next.ExecuteActivity(ctx, in)
	end := time.Now()
	i.log.mu.Lock()
	i.log.attempts[n].End, i.log.attempts[n].Err = end, err
	i.log.mu.Unlock()
	return out, err
}

// arrival is one request as the partner received it: its idempotency key and when it arrived.
type arrival struct {
	Key string
	At  time.Time
}

// arrivalLog is the partner's own log of the requests it received, kept in front of the
// simulator (systemOptions.WrapSimulators) on this process's clock.
type arrivalLog struct {
	match func(*http.Request) bool

	mu       sync.Mutex
	arrivals []arrival
}

func newArrivalLog(match func(*http.Request) bool) *arrivalLog {
	return &arrivalLog{match: match}
}

func (l *arrivalLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.match(r) {
			l.mu.Lock()
			l.arrivals = append(l.arrivals, arrival{Key: r.Header.Get("Idempotency-Key"), At: time.Now()})
			l.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

// all returns a copy of the arrivals so far.
func (l *arrivalLog) all() []arrival {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]arrival(nil), l.arrivals...)
}

// partnerGate stands in front of a partner: it lets the first `pass` matching requests through
// and holds the rest until the test decides. refuse answers every held and later request as a
// partner in an outage would (503); open lets them all through. A test that must stop something
// "mid-cohort" uses it to make that middle a fact rather than a moment it hopes to catch.
type partnerGate struct {
	match func(*http.Request) bool
	pass  int

	mu       sync.Mutex
	passed   int
	held     int
	refusing chan struct{} // closed by refuse
	opened   chan struct{} // closed by open
}

func newPartnerGate(pass int, match func(*http.Request) bool) *partnerGate {
	return &partnerGate{match: match, pass: pass, refusing: make(chan struct{}), opened: make(chan struct{})}
}

// counts returns how many requests went through before the gate closed and how many it held.
func (g *partnerGate) counts() (passed, held int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.passed, g.held
}

func (g *partnerGate) refuse() { close(g.refusing) }
func (g *partnerGate) open()   { close(g.opened) }

func (g *partnerGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.match(r) {
			next.ServeHTTP(w, r)
			return
		}
		g.mu.Lock()
		through := g.passed < g.pass
		if through {
			g.passed++
		} else {
			g.held++
		}
		g.mu.Unlock()
		if through {
			next.ServeHTTP(w, r)
			return
		}
		// Open wins over refusing: once the test opens the gate, everything goes through.
		select {
		case <-g.opened:
			next.ServeHTTP(w, r)
			return
		default:
		}
		select {
		case <-g.opened:
			next.ServeHTTP(w, r)
		case <-g.refusing:
			select {
			case <-g.opened:
				next.ServeHTTP(w, r)
			default:
				http.Error(w, `{"error":"service unavailable (test gate)"}`, http.StatusServiceUnavailable)
			}
		case <-r.Context().Done():
		}
	})
}
