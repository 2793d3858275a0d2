package worker

import (
	"sync"
	"time"

	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"
)

// Options tune a worker. Every zero field keeps the SDK's default, so a configuration that says
// nothing changes nothing; `kompeten bench` measures what a change does before it becomes a
// recommendation (BENCHMARKS.md).
type Options struct {
	// WorkflowPollers and ActivityPollers are the concurrent long polls per task queue.
	WorkflowPollers int
	ActivityPollers int
	// MaxConcurrentWorkflowTasks, MaxConcurrentActivities and MaxConcurrentLocalActivities bound
	// the tasks one worker runs at once.
	MaxConcurrentWorkflowTasks   int
	MaxConcurrentActivities      int
	MaxConcurrentLocalActivities int
	// StickyCacheSize is how many workflows stay in memory between their tasks. It is one cache
	// for the whole process, fixed when the first worker starts.
	StickyCacheSize int
	// StopTimeout is how long Stop lets running activities finish after polling has stopped;
	// 0 keeps the SDK's default (none).
	StopTimeout time.Duration
	// Interceptors wrap every workflow and activity (the actor claim check, ActorCheck).
	Interceptors []interceptor.WorkerInterceptor
	// Deployment, when set, makes the worker poll as one version of a Temporal Worker
	// Deployment (worker deployment versioning), so that a release can run beside the one
	// before it: see Deployment.
	Deployment *Deployment
}

// stickyOnce applies the process-wide cache size once: the SDK refuses a change after a worker
// has started.
var stickyOnce sync.Once

// SDK converts the options for sdkworker.New and applies the process-wide cache size.
func (o Options) SDK() sdkworker.Options {
	if o.StickyCacheSize > 0 {
		stickyOnce.Do(func() { sdkworker.SetStickyWorkflowCacheSize(o.StickyCacheSize) })
	}
	so := sdkworker.Options{
		MaxConcurrentWorkflowTaskPollers:        o.WorkflowPollers,
		MaxConcurrentActivityTaskPollers:        o.ActivityPollers,
		MaxConcurrentWorkflowTaskExecutionSize:  o.MaxConcurrentWorkflowTasks,
		MaxConcurrentActivityExecutionSize:      o.MaxConcurrentActivities,
		MaxConcurrentLocalActivityExecutionSize: o.MaxConcurrentLocalActivities,
		WorkerStopTimeout:                       o.StopTimeout,
		Interceptors:                            o.Interceptors,
	}
	if o.Deployment != nil {
		so.DeploymentOptions = o.Deployment.sdk()
	}
	return so
}
