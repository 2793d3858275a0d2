package simulator

import (
	"net/http"
	"time"
)

// mountControl registers the control endpoints every simulator has.
func (c *core) mountControl(mux *http.ServeMux) {
	mux.HandleFunc("POST /sim/outage", c.handleStartOutage)
	mux.HandleFunc("DELETE /sim/outage", c.handleEndOutage)
}

func (c *core) handleStartOutage(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Duration string `json:"duration"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	d, err := time.ParseDuration(body.Duration)
	if err != nil || d <= 0 {
		writeError(w, http.StatusBadRequest, "invalid_request", `duration must be positive, e.g. "10m"`)
		return
	}
	o, err := c.startOutage(d, false)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "not_recorded", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (c *core) handleEndOutage(w http.ResponseWriter, _ *http.Request) {
	if err := c.endOutage(false); err != nil {
		writeError(w, http.StatusInternalServerError, "not_recorded", err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// applyBase applies the settings both simulators have; the caller holds c.mu.
func (c *core) applyBase(p configPatch) error {
	if err := checkRate("error_rate", p.ErrorRate); err != nil {
		return err
	}
	if err := checkRate("data_error_rate", p.DataErrorRate); err != nil {
		return err
	}
	lat, setLat, err := parseDuration("latency", p.Latency)
	if err != nil {
		return err
	}
	if setLat {
		c.cfg.Latency = lat
	}
	if p.ErrorRate != nil {
		c.cfg.ErrorRate = *p.ErrorRate
	}
	if p.DataErrorRate != nil {
		c.cfg.DataErrorRate = *p.DataErrorRate
	}
	return nil
}

// baseView describes the shared settings; the caller holds c.mu.
func (c *core) baseView() configView {
	return configView{
		Latency: c.cfg.Latency.String(), ErrorRate: c.cfg.ErrorRate, DataErrorRate: c.cfg.DataErrorRate,
		Outages: append([]Window{}, c.outages...), Seed: c.seed,
	}
}

// handleMistake serves POST /sim/mistake {"number":"..."}: the next new registration or
// certificate carries that number, whoever it is for (HandOutNext).
func handleMistake(handOut func(string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Number string `json:"number"`
		}
		if err := readJSON(r, &body); err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
			return
		}
		if body.Number == "" {
			writeError(w, http.StatusBadRequest, "invalid_request", "number is required")
			return
		}
		handOut(body.Number)
		w.WriteHeader(http.StatusNoContent)
	}
}
