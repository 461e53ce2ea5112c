// Package explorertest drives the API explorer in a real, headless Chromium,
// for browser tests of apps built with package lb.
//
// It uses the Chromium installed on the machine (/usr/bin/chromium, from
// Debian's chromium package, or the first chromium on PATH) and never
// downloads one. Without Chromium, [NewBrowser] skips the test, or fails it
// when the CI environment variable is "true".
//
// A test starts the app on an httptest server, then:
//
//	ctx := explorertest.NewBrowser(t)
//	ops, err := explorertest.Operations(ctx, srv.URL+"/explorer/")
//	// ops: ["GET /ping", ...]
//	res, err := explorertest.TryOut(ctx, "GET", "/ping", nil)
//	// res.Status: 200
package explorertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package installs the browser;
// NewBrowser looks there first.
const ChromiumPath = "/usr/bin/chromium"

// Timeout bounds every helper call and the browser start, so that a broken
// page fails the test instead of hanging it. It is generous because test
// machines are often loaded; it is a safety net, not an assertion.
const Timeout = 90 * time.Second

// FindChromium returns the path of the Chromium binary: ChromiumPath if it
// exists, else "chromium" looked up on PATH.
func FindChromium() (string, error) {
	if _, err := os.Stat(ChromiumPath); err == nil {
		return ChromiumPath, nil
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", fmt.Errorf("chromium not found at %s or on PATH (install it with: apt-get install -y chromium): %w", ChromiumPath, err)
	}
	return p, nil
}

// NewBrowser starts a headless Chromium for the test (flags --headless
// --no-sandbox --disable-gpu --no-first-run --disable-background-networking,
// a profile in t.TempDir()) and returns a context that chromedp actions and
// the helpers of this package run in, on one tab. The browser stops when
// the test ends.
//
// Without Chromium, NewBrowser skips the test with a message, or fails it
// when the environment variable CI is "true".
func NewBrowser(t testing.TB) context.Context {
	t.Helper()
	path, err := FindChromium()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser test: %v", err)
		}
		t.Skipf("skipping browser test: %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1024),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// Start the browser now, so that a broken installation fails here. The
	// first run's context must be the tab's own: the browser lives as long
	// as it does.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	return ctx
}

// Operations navigates to the explorer page at url, waits until Swagger UI
// has rendered the operations, and returns them in page order as
// "METHOD /path" ("GET /todos/{id}").
func Operations(ctx context.Context, url string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(".opblock .opblock-summary-method")),
	)
	if err != nil {
		return nil, fmt.Errorf("list operations at %s: %w", url, err)
	}
	ops, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.opblock')).map(function (el) {
		return el.querySelector('.opblock-summary-method').textContent.trim().toUpperCase() + ' ' +
			el.querySelector('.opblock-summary-path').getAttribute('data-path');
	})`))
	if err != nil {
		return nil, fmt.Errorf("list operations at %s: %w", url, err)
	}
	return ops, nil
}

// Title returns the title of the page the browser shows.
func Title(ctx context.Context) (string, error) {
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		return "", fmt.Errorf("read title: %w", err)
	}
	return title, nil
}

// Response is what Swagger UI shows after Execute.
type Response struct {
	Status int    // the response status code
	Body   string // the response body as displayed
}

// TryOut runs one operation from the explorer page loaded by [Operations]:
// it expands the operation with the given method and path template
// ("GET", "/todos/{id}"), clicks "Try it out", types params (parameter name
// to value) into their fields, replacing what Swagger UI put there, clicks "Execute" and returns the response
// Swagger UI displays.
func TryOut(ctx context.Context, method, path string, params map[string]string) (Response, error) {
	return TryOutBody(ctx, method, path, params, "")
}

// TryOutBody is TryOut for an operation with a request body: body (JSON
// text), unless empty, replaces the example Swagger UI puts in the body
// field.
func TryOutBody(ctx context.Context, method, path string, params map[string]string, body string) (Response, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	method = strings.ToUpper(method)
	fail := func(step string, err error) (Response, error) {
		return Response{}, fmt.Errorf("try out %s %s: %s: %w", method, path, step, err)
	}

	// Mark the operation block so that the selectors below address it.
	mark := fmt.Sprintf(`(function (method, path) {
		var all = document.querySelectorAll('.opblock');
		for (var i = 0; i < all.length; i++) {
			var el = all[i];
			el.removeAttribute('data-lbtest');
			var m = el.querySelector('.opblock-summary-method').textContent.trim().toUpperCase();
			var p = el.querySelector('.opblock-summary-path').getAttribute('data-path');
			if (m === method && p === path) { el.setAttribute('data-lbtest', 'op'); return true; }
		}
		return false;
	})(%s, %s)`, strconv.Quote(method), strconv.Quote(path))
	found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](mark))
	if err != nil {
		return fail("find operation", err)
	}
	if !found {
		return fail("find operation", errors.New("not listed on the page"))
	}

	const op = `[data-lbtest="op"] `
	// An operation tried before is still open, in "Try it out" mode.
	open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('[data-lbtest="op"] button.execute')`))
	if err != nil {
		return fail(`click "Try it out"`, err)
	}
	if open {
		// Clear the previous response, so that the one read below is new.
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(op+"button.btn-clear")),
			chromedp.WaitNotPresent(chromedp.CSS(op+".live-responses-table")),
		); err != nil {
			return fail("clear the previous response", err)
		}
	} else {
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(op+".opblock-summary-control")),
			chromedp.WaitVisible(chromedp.CSS(op+".try-out__btn")),
			chromedp.Click(chromedp.CSS(op+".try-out__btn")),
			chromedp.WaitVisible(chromedp.CSS(op+"button.execute")),
		); err != nil {
			return fail(`click "Try it out"`, err)
		}
	}
	for name, value := range params {
		sel := chromedp.CSS(fmt.Sprintf(`%str[data-param-name=%s] input, %str[data-param-name=%s] textarea`, op, strconv.Quote(name), op, strconv.Quote(name)))
		if err := chromedp.Do(ctx,
			chromedp.WaitVisible(sel),
			chromedp.Clear(sel),
			chromedp.SendKeys(sel, value),
		); err != nil {
			return fail("fill parameter "+name, err)
		}
	}

	if body != "" {
		sel := chromedp.CSS(op + "textarea.body-param__text")
		if err := chromedp.Do(ctx, chromedp.WaitVisible(sel)); err != nil {
			return fail("fill the body", err)
		}
		// The field is React's: set its value as typing would, all at once.
		set := fmt.Sprintf(`(function (text) {
			var el = document.querySelector('[data-lbtest="op"] textarea.body-param__text');
			Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(el, text);
			el.dispatchEvent(new Event('input', {bubbles: true}));
			return el.value === text;
		})(%s)`, strconv.Quote(body))
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](set))
		if err == nil && !ok {
			err = errors.New("the field did not take the text")
		}
		if err != nil {
			return fail("fill the body", err)
		}
	}

	status := chromedp.CSS(op + ".live-responses-table tr.response .response-col_status")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(op+"button.execute")),
		chromedp.WaitVisible(status),
	); err != nil {
		return fail(`click "Execute"`, err)
	}
	code, err := chromedp.Run(ctx, chromedp.Text(status))
	if err != nil {
		return fail("read status", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
		var el = document.querySelector('[data-lbtest="op"] .live-responses-table tr.response .response-col_description pre');
		return el ? el.textContent : '';
	})()`))
	if err != nil {
		return fail("read body", err)
	}
	n, err := strconv.Atoi(strings.Fields(code + " x")[0])
	if err != nil {
		return fail("read status", fmt.Errorf("status cell %q: %w", code, err))
	}
	return Response{Status: n, Body: shown}, nil
}

// Authorize uses the explorer's Authorize button: it opens the dialog,
// types value (a bearer token, an API key) into the form of the security
// scheme named scheme, submits it and closes the dialog. Swagger UI then
// sends the credential with every "Try it out" of the operations that
// list the scheme.
func Authorize(ctx context.Context, scheme, value string) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	fail := func(step string, err error) error {
		return fmt.Errorf("authorize %s: %s: %w", scheme, step, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".auth-wrapper button.authorize")),
		chromedp.WaitVisible(chromedp.CSS(".modal-ux .auth-container")),
	); err != nil {
		return fail(`click "Authorize"`, err)
	}
	mark := fmt.Sprintf(`(function (name) {
		var all = document.querySelectorAll('.modal-ux .auth-container');
		for (var i = 0; i < all.length; i++) {
			var code = all[i].querySelector('h4 code');
			if (code && code.textContent.trim() === name) { all[i].setAttribute('data-lbtest', 'auth'); return true; }
		}
		return false;
	})(%s)`, strconv.Quote(scheme))
	found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](mark))
	if err != nil {
		return fail("find the scheme", err)
	}
	if !found {
		return fail("find the scheme", errors.New("not in the dialog"))
	}
	const form = `[data-lbtest="auth"] `
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(form+"input"), value),
		chromedp.Click(chromedp.CSS(form+"button.authorize")),
		chromedp.WaitVisible(chromedp.CSS(".modal-ux button.btn-done")),
		chromedp.Click(chromedp.CSS(".modal-ux button.btn-done")),
		chromedp.WaitNotPresent(chromedp.CSS(".modal-ux")),
	); err != nil {
		return fail("submit", err)
	}
	return nil
}
