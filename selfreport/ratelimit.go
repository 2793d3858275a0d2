package selfreport

import (
	"sync"
	"time"
)

// Limiter counts requests per client address in fixed windows: at most Limit in each Window;
// the next is refused until the window is over. It lives in the process: one server answers the
// public pages, and a restart forgiving a minute's count costs nothing.
type Limiter struct {
	Limit  int
	Window time.Duration
	// Now is the clock; nil: time.Now.
	Now func() time.Time

	mu      sync.Mutex
	windows map[string]*window
	swept   time.Time
}

type window struct {
	start time.Time
	n     int
}

// NewLimiter allows limit requests per address in each window.
func NewLimiter(limit int, per time.Duration) *Limiter {
	return &Limiter{Limit: limit, Window: per}
}

// Allow counts a request from key and says whether it is within the limit; retry is how long
// until the key's window is over when it is not.
func (l *Limiter) Allow(key string) (ok bool, retry time.Duration) {
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.windows == nil {
		l.windows = map[string]*window{}
	}
	// Forget finished windows now and then, so addresses that came once do not pile up.
	if now.Sub(l.swept) > l.Window {
		for k, w := range l.windows {
			if now.Sub(w.start) >= l.Window {
				delete(l.windows, k)
			}
		}
		l.swept = now
	}
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= l.Window {
		w = &window{start: now}
		l.windows[key] = w
	}
	w.n++
	if w.n > l.Limit {
		return false, w.start.Add(l.Window).Sub(now)
	}
	return true, 0
}
