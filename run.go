package lb

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Run starts the app, waits until ctx is done or one of the configured
// signals arrives ([Config.Signals], default SIGINT and SIGTERM), then stops
// the app within the grace period ([Config.GracePeriod], default
// [DefaultGracePeriod]). It returns the first error: the start error (after
// the rollback Start does), else the stop error, else nil. A shutdown through
// ctx or a signal is not an error.
//
// The context passed to the observers' Start hooks is done when a signal
// arrives, so a slow start can be interrupted. The context passed to Stop
// hooks is not canceled with ctx; it expires with the grace period, and if
// the hooks have not returned by then Run returns an error wrapping
// [context.DeadlineExceeded] without waiting for them.
//
// Once the first signal has been received, Run restores the default
// behaviour for the signals, so a second Ctrl-C kills the process.
func (a *App) Run(ctx context.Context) error {
	sigs := a.cfg.Signals
	if sigs == nil {
		sigs = []os.Signal{os.Interrupt, syscall.SIGTERM}
	}
	runCtx, stopSignals := ctx, context.CancelFunc(func() {})
	if len(sigs) > 0 {
		runCtx, stopSignals = signal.NotifyContext(ctx, sigs...)
	}
	defer stopSignals()

	if err := a.Start(runCtx); err != nil {
		return err
	}
	<-runCtx.Done()
	stopSignals()

	stopCtx, cancel := context.WithoutCancel(ctx), context.CancelFunc(func() {})
	grace := a.cfg.GracePeriod
	if grace == 0 {
		grace = DefaultGracePeriod
	}
	if grace > 0 {
		stopCtx, cancel = context.WithTimeout(stopCtx, grace)
	}
	defer cancel()

	done := make(chan error, 1)
	go func() { done <- a.Stop(stopCtx) }()
	select {
	case err := <-done:
		return err
	case <-stopCtx.Done():
		// The hooks may have returned just now; prefer their error.
		select {
		case err := <-done:
			return err
		default:
		}
		return fmt.Errorf("lb: stop: grace period %v expired: %w", grace, stopCtx.Err())
	}
}
