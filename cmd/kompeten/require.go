package main

import (
	"errors"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
)

// requireWorkerConfig reports, all at once and before anything connects, what `kompeten
// worker` cannot run without (README, Production): the database, the actor key the API signs
// with, the payload keys, and the partners' addresses. Each error names its key.
func requireWorkerConfig(c *config.Config) error {
	errs := requireShared(c, "worker")
	if _, err := app.Insurer(c); err != nil {
		errs = append(errs, err)
	}
	if err := app.CheckCertifiers(c); err != nil {
		errs = append(errs, err)
	}
	if err := fillBuildID(c, currentVersion()); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// fillBuildID gives a versioned worker the binary's build ID when worker.build_id is unset,
// and says what to set when the binary has none.
func fillBuildID(c *config.Config, v buildVersion) error {
	if !c.Worker.Versioning || c.Worker.BuildID != "" {
		return nil
	}
	c.Worker.BuildID = v.BuildID()
	if c.Worker.BuildID == "" {
		return errors.New("worker.build_id: required with worker.versioning on, as this binary carries no version or commit (set KOMPETEN_WORKER_BUILD_ID, or build from a git checkout)")
	}
	return nil
}

// requireServeConfig is requireWorkerConfig for `kompeten serve`: the database, the NIK hash
// key, the actor key and the payload keys (it calls no partner).
func requireServeConfig(c *config.Config) error {
	errs := requireShared(c, "serve")
	if _, err := app.HashKey(c, false); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// requireShared checks what both production processes need. No key is generated here: each
// must be the one every other process has.
func requireShared(c *config.Config, command string) []error {
	var errs []error
	if c.Database.URL == "" {
		errs = append(errs, errors.New("database.url: required for kompeten "+command+" (set KOMPETEN_DATABASE_URL)"))
	}
	if _, err := auth.LoadActorKey(c.Security.ActorKey, c.DataDir, false); err != nil {
		errs = append(errs, err)
	}
	if _, err := temporalclient.Keyring(c); err != nil {
		errs = append(errs, err)
	}
	// The workers sign the follow-up messages' self-report links; serve checks them.
	if _, err := app.SelfReportKey(c, false); err != nil {
		errs = append(errs, err)
	}
	return errs
}
