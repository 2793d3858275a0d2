package config

import (
	"reflect"
	"strings"
	"time"
)

// WorkerConfig tunes the Temporal worker. Every 0 keeps the SDK's default, so tuning is opt-in;
// BENCHMARKS.md records what each setting did on the benchmark before it became a default.
type WorkerConfig struct {
	// WorkflowPollers and ActivityPollers are the long polls kept open per task queue.
	WorkflowPollers int `mapstructure:"workflow_pollers" yaml:"workflow_pollers"`
	ActivityPollers int `mapstructure:"activity_pollers" yaml:"activity_pollers"`
	// MaxConcurrent* bound the tasks one worker runs at once.
	MaxConcurrentWorkflowTasks   int `mapstructure:"max_concurrent_workflow_tasks" yaml:"max_concurrent_workflow_tasks"`
	MaxConcurrentActivities      int `mapstructure:"max_concurrent_activities" yaml:"max_concurrent_activities"`
	MaxConcurrentLocalActivities int `mapstructure:"max_concurrent_local_activities" yaml:"max_concurrent_local_activities"`
	// StickyCacheSize is how many journeys the process keeps in memory between their tasks.
	StickyCacheSize int `mapstructure:"sticky_cache_size" yaml:"sticky_cache_size"`
	// StopTimeout is how long a stopping worker (SIGTERM) lets running activities finish
	// after it has stopped polling; then they are cancelled and retried elsewhere.
	StopTimeout time.Duration `mapstructure:"stop_timeout" yaml:"stop_timeout"`
	// Versioning makes every worker poll as one version (BuildID) of a Temporal Worker
	// Deployment (DeploymentName), so a new release runs beside the old one and takes the work
	// when promoted (`kompeten release promote`). Off by default: with it on, a worker takes
	// nothing until its build is current, so it is a production decision (README, Production).
	Versioning bool `mapstructure:"versioning" yaml:"versioning"`
	// DeploymentName is the Worker Deployment: one per installation and task queue.
	DeploymentName string `mapstructure:"deployment_name" yaml:"deployment_name"`
	// BuildID names this release; empty takes the binary's version, else its commit.
	BuildID string `mapstructure:"build_id" yaml:"build_id"`
	// PromoteFirst lets a versioned worker make its own build current when the deployment
	// has none yet (the first start, or the first after versioning was turned on), so a new
	// installation needs no release command.
	PromoteFirst bool `mapstructure:"promote_first" yaml:"promote_first"`
}

// validate reports negative values; bad is Validate's collector.
func (w WorkerConfig) validate(bad func(key, format string, args ...any)) {
	// Every field is a count whose 0 keeps the SDK's default: walk them in declaration order
	// rather than list their keys a second time.
	var keys []Key
	walk(reflect.ValueOf(w), "worker.", &keys)
	if w.StopTimeout < 0 {
		bad("worker.stop_timeout", "must not be negative, got %s", w.StopTimeout)
	}
	if w.Versioning {
		if w.DeploymentName == "" {
			bad("worker.deployment_name", "must not be empty with worker.versioning on")
		}
		// The server's rules for a deployment name and a build ID.
		if strings.ContainsAny(w.DeploymentName, ".:") || strings.HasPrefix(w.DeploymentName, "__") {
			bad("worker.deployment_name", "must not contain '.' or ':' nor start with '__', got %q", w.DeploymentName)
		}
		if strings.HasPrefix(w.BuildID, "__") {
			bad("worker.build_id", "must not start with '__', got %q", w.BuildID)
		}
	}
	for _, k := range keys {
		if v, ok := k.Value.(int); ok && v < 0 {
			bad(k.Name, "must be 0 (the SDK default) or more, got %d", v)
		}
	}
}
