package graphql_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loopback-go/lb/explorer/explorertest"
)

// TestGraphiQLSubscriptionInBrowser runs a subscription from the query
// page in headless Chromium: the page's WebSocket client speaks
// graphql-transport-ws, shows the change written through the repository,
// and Stop ends the subscription. Without Chromium it is skipped (it
// fails under CI=true).
func TestGraphiQLSubscriptionInBrowser(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("-short: starts a browser")
	}
	fx := newSubFixture(t, nil)
	ctx := explorertest.NewBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	query := `subscription { todoChanged(kinds: [CREATE]) { kind instance { title } } }`
	err := chromedp.Do(ctx,
		chromedp.Navigate(fx.srv.URL),
		chromedp.WaitVisible(chromedp.ID("run")),
		chromedp.SetValue(chromedp.ID("query"), query),
		chromedp.Click(chromedp.ID("run")),
	)
	if err != nil {
		t.Fatal(err)
	}
	fx.waitSubscribers(t, 1)
	if _, err := fx.todos.Create(context.Background(), &Todo{Title: "seen in the browser", TodoListID: 1}); err != nil {
		t.Fatal(err)
	}
	out, err := chromedp.Run(ctx, chromedp.Poll[string](`(function () {
		var t = document.getElementById('result').textContent;
		return t.indexOf('seen in the browser') >= 0 ? t : null;
	})()`))
	if err != nil {
		t.Fatalf("the result never showed: %v", err)
	}
	if !strings.Contains(out, `"kind": "CREATE"`) {
		t.Errorf("result %s", out)
	}
	status, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
	if err != nil || status != "subscribed: 1 result(s)" {
		t.Errorf("status %q, %v", status, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("stop"))); err != nil {
		t.Fatal(err)
	}
	fx.waitSubscribers(t, 0)
}
