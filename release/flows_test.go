package release_test

import (
	"context"
	"time"

	"go.temporal.io/sdk/workflow"
)

// Test-only workflow types standing in for kompeten's two kinds: a long journey that upgrades
// (AutoUpgrade) and a short one that stays on its release (Pinned). Each has a v1 and a v2 body
// registered under the same name on the v1 and the v2 worker, as two releases of one binary.
const (
	longFlow   = "VersioningTestJourney"
	shortFlow  = "VersioningTestDigest"
	goSignal   = "go"
	stepChange = "step-b" // the GetVersion change ID of v2's code change
)

// stepA and stepB are the activities before and after the release's code change.
func stepA(context.Context) (string, error) { return "a", nil }
func stepB(context.Context) (string, error) { return "b", nil }

func acts(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
}

// longV1 calls step A, waits for the go signal, and says which code it ran.
func longV1(ctx workflow.Context) (string, error) {
	var step string
	if err := workflow.ExecuteActivity(acts(ctx), stepA).Get(ctx, &step); err != nil {
		return "", err
	}
	workflow.GetSignalChannel(ctx, goSignal).Receive(ctx, nil)
	return "v1:" + step, nil
}

// longV2 is the next release: step B replaces step A, guarded by GetVersion as every change to
// a journey must be, so a journey that already ran step A on v1 replays it on v2.
func longV2(ctx workflow.Context) (string, error) {
	v := workflow.GetVersion(ctx, stepChange, workflow.DefaultVersion, 1)
	fn := stepA
	if v == 1 {
		fn = stepB
	}
	var step string
	if err := workflow.ExecuteActivity(acts(ctx), fn).Get(ctx, &step); err != nil {
		return "", err
	}
	workflow.GetSignalChannel(ctx, goSignal).Receive(ctx, nil)
	return "v2:" + step, nil
}

// longV2Unguarded is the same change made without GetVersion: replaying a v1 history with it
// must fail, which shows the replay check below can fail.
func longV2Unguarded(ctx workflow.Context) (string, error) {
	var step string
	if err := workflow.ExecuteActivity(acts(ctx), stepB).Get(ctx, &step); err != nil {
		return "", err
	}
	workflow.GetSignalChannel(ctx, goSignal).Receive(ctx, nil)
	return "v2:" + step, nil
}

// shortV1 and shortV2 differ with no guard at all: a pinned workflow never meets the other
// release's code.
func shortV1(ctx workflow.Context) (string, error) {
	workflow.GetSignalChannel(ctx, goSignal).Receive(ctx, nil)
	return "v1", nil
}

func shortV2(ctx workflow.Context) (string, error) {
	if err := workflow.Sleep(ctx, time.Millisecond); err != nil {
		return "", err
	}
	workflow.GetSignalChannel(ctx, goSignal).Receive(ctx, nil)
	return "v2", nil
}
