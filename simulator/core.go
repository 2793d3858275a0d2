package simulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// core is what both simulators share: clock, settings, outages, error injection and API key check.
type core struct {
	name   string // "BPJS" or "LSP", for messages
	seed   int64
	apiKey string
	now    func() time.Time

	mu      sync.Mutex // guards everything below and the owning simulator's state
	cfg     Config     // Latency, ErrorRate, DataErrorRate; Outages live in outages
	outages []Window
	rng     *rand.Rand
	// db keeps the state in PostgreSQL (OpenBPJS, OpenLSP); nil keeps it in memory only.
	db *persistence
	// noLostAnswers makes every injected error fail before the work (the WhatsApp simulator:
	// the Cloud API has no idempotency key, so a lost answer is a real duplicate, see outbox).
	noLostAnswers bool
}

func newCore(name string, cfg Config) *core {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &core{
		name: name, seed: cfg.Seed, apiKey: cfg.APIKey, now: now,
		cfg:     cfg,
		outages: append([]Window(nil), cfg.Outages...),
		rng:     rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6b6f6d706574656e)),
	}
}

// gate applies latency, outages, the API key check and injected transient errors to a partner
// API call. It returns ok=false when it has already answered; lost=true means the caller must do
// the work and then answer 503 anyway, as if the answer had been lost on the way back.
func (c *core) gate(w http.ResponseWriter, r *http.Request) (lost, ok bool) {
	c.mu.Lock()
	latency := c.cfg.Latency
	c.mu.Unlock()
	if latency > 0 {
		// Buffer the body first: net/http notices a client hanging up (and cancels r.Context())
		// only once the body has been read, and a timed-out client must not hold the handler.
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return false, false
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false, false // the client gave up; nobody reads an answer
		}
	}

	c.mu.Lock()
	now := c.now()
	var until time.Time
	for _, o := range c.outages {
		if o.Contains(now) && o.End.After(until) {
			until = o.End
		}
	}
	var injected, after bool
	if until.IsZero() && c.cfg.ErrorRate > 0 && c.rng.Float64() < c.cfg.ErrorRate {
		injected, after = true, c.rng.IntN(2) == 0 && !c.noLostAnswers
	}
	c.mu.Unlock()

	if !until.IsZero() {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(until.Sub(now).Seconds()))))
		writeError(w, http.StatusServiceUnavailable, "outage",
			fmt.Sprintf("%s simulator outage until %s", c.name, until.UTC().Format(time.RFC3339)))
		return false, false
	}
	if c.apiKey != "" {
		want := "Bearer " + c.apiKey
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) != 1 {
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or wrong API key")
			return false, false
		}
	}
	if injected && !after {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "service unavailable")
		return false, false
	}
	return injected, true
}

// answer writes v, or a 503 when the answer is to be "lost" after the work was done.
func answer(w http.ResponseWriter, lost bool, status int, v any) {
	if lost {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "service unavailable")
		return
	}
	writeJSON(w, status, v)
}

// fraction maps the seed and parts to a number in [0, 1) that depends only on them: the basis of
// deterministic data errors and assessment results.
func (c *core) fraction(parts ...string) float64 {
	// SHA-256 rather than FNV: FNV's top bits barely move when only the last bytes differ, and
	// near-identical records (a corrected name) must get independent draws.
	h := sha256.New()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(c.seed))
	h.Write(b[:])
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0}) // separator: ("ab","c") and ("a","bc") must differ
	}
	return float64(binary.BigEndian.Uint64(h.Sum(nil))>>11) / (1 << 53)
}

// StartOutage makes every partner API call answer 503 for d from now, and returns the window.
// A persistent simulator records it, so a restart keeps it; should that write fail, the outage
// holds in this process only, and the failure is logged.
func (c *core) StartOutage(d time.Duration) Window {
	w, err := c.startOutage(d, true)
	if err != nil {
		slog.Warn("outage not recorded: it ends with this process", "simulator", c.name, "error", err)
	}
	return w
}

// startOutage starts an outage of d from now: recorded first when persistent, then applied; a
// failed write applies it anyway only when regardless is set.
func (c *core) startOutage(d time.Duration, regardless bool) (Window, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	w := Window{Start: now, End: now.Add(d)}
	var err error
	if c.db != nil {
		err = c.db.saveOutage(w)
	}
	if err == nil || regardless {
		c.outages = append(c.outages, w)
	}
	return w, err
}

// EndOutage ends every outage window active now, configured ones included (for this process:
// a configured window is configured again at the next start). A failed write is logged.
func (c *core) EndOutage() {
	if err := c.endOutage(true); err != nil {
		slog.Warn("outage end not recorded: it resumes at the next start", "simulator", c.name, "error", err)
	}
}

// endOutage ends the outages active now: recorded first when persistent, then applied; a failed
// write applies it anyway only when regardless is set.
func (c *core) endOutage(regardless bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	var err error
	if c.db != nil {
		err = c.db.endOutages(now)
	}
	if err != nil && !regardless {
		return err
	}
	for i, o := range c.outages {
		if o.Contains(now) {
			c.outages[i].End = now
		}
	}
	return err
}

// open makes the simulator persistent: it loads the outages still to come and writes every
// change from now on (persistence).
func (c *core) open(ctx context.Context, p *persistence) error {
	ws, err := p.loadOutages(ctx, c.now())
	if err != nil {
		return err
	}
	c.db = p
	c.outages = append(c.outages, ws...)
	return nil
}

// InOutage reports whether an outage is active now.
func (c *core) InOutage() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for _, o := range c.outages {
		if o.Contains(now) {
			return true
		}
	}
	return false
}

// SetLatency changes the delay before every partner API answer.
func (c *core) SetLatency(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.Latency = d
}

// SetErrorRate changes the share of transient 503 answers.
func (c *core) SetErrorRate(p float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.ErrorRate = p
}

// SetDataErrorRate changes the share of requests refused as bad data.
func (c *core) SetDataErrorRate(p float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.DataErrorRate = p
}
