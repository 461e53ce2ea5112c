package graphql

import (
	"html"
	"net/http"
	"strings"
)

// GraphiQL returns a handler serving the GraphQL query page for the
// endpoint at path (""; the page's own address). The page is
// self-contained (no CDN, no external script): a query editor with
// variables, an optional Authorization value, a Run button (Ctrl+Enter)
// and the formatted response. A subscription runs over a WebSocket to the
// endpoint (graphql-transport-ws, the Authorization value in
// connection_init's payload), showing each result as it comes, newest
// first, until Stop. No Go module serves the GraphiQL application's
// assets, so this is a small page of our own, not the GraphiQL React
// application.
func GraphiQL(path string) http.Handler {
	page := graphiQLPage(path)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", pageCSP)
		_, _ = w.Write(page)
	})
}

// pageCSP lets the page run its inline script and connect to its own
// origin only (fetch, and WebSocket: CSP 3 lets 'self' match ws: and wss:
// of the page's host).
const pageCSP = "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'"

// graphiQLPage renders the page for the endpoint at path.
func graphiQLPage(path string) []byte {
	return []byte(strings.Replace(pageHTML, "{{endpoint}}", html.EscapeString(path), 1))
}

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GraphiQL</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;display:flex;flex-direction:column;height:100vh}
header{padding:.5em 1em;background:#2d2d2d;color:#fff;display:flex;gap:1em;align-items:center}
main{flex:1;display:flex;min-height:0}
section{flex:1;display:flex;flex-direction:column;min-width:0}
textarea,pre{flex:1;margin:0;padding:.75em;font:13px/1.4 ui-monospace,monospace;border:0;border-right:1px solid #ddd;resize:none;overflow:auto}
#variables{flex:0 0 25%;border-top:1px solid #ddd}
label{font-size:12px;padding:.25em .75em;background:#f4f4f4}
button{font-size:14px;padding:.3em 1.2em;cursor:pointer}
</style>
</head>
<body data-endpoint="{{endpoint}}">
<header><strong>GraphiQL</strong><button id="run" title="Ctrl+Enter">Run ▶</button><button id="stop" hidden>Stop ■</button>
<input id="token" placeholder="Authorization (Bearer …)" size="28" autocomplete="off"><span id="status"></span></header>
<main>
<section><label for="query">Query</label><textarea id="query" spellcheck="false">{
  __typename
}</textarea>
<label for="variables">Variables (JSON)</label><textarea id="variables" spellcheck="false">{}</textarea></section>
<section><label>Response</label><pre id="result"></pre></section>
</main>
<script>
(function () {
  var endpoint = document.body.dataset.endpoint || window.location.pathname;
  var q = document.getElementById('query'), v = document.getElementById('variables');
  var out = document.getElementById('result'), status = document.getElementById('status');
  var token = document.getElementById('token'), stopBtn = document.getElementById('stop');
  var saved = localStorage.getItem('graphiql:query');
  if (saved) q.value = saved;
  var ws = null, results = [];
  function show(x) { try { return JSON.stringify(typeof x === 'string' ? JSON.parse(x) : x, null, 2); } catch (e) { return String(x); } }
  function stop() {
    if (ws) { var s = ws; ws = null; try { s.send(JSON.stringify({id: '1', type: 'complete'})); } catch (e) {} s.close(1000); }
    stopBtn.hidden = true;
  }
  // subscribe speaks graphql-transport-ws: connection_init (with the
  // Authorization value), subscribe, then one next per change.
  function subscribe(vars) {
    var u = new URL(endpoint, window.location.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    var s = ws = new WebSocket(u.href, 'graphql-transport-ws');
    results = []; out.textContent = ''; stopBtn.hidden = false; status.textContent = 'connecting…';
    s.onopen = function () {
      s.send(JSON.stringify({type: 'connection_init', payload: token.value ? {Authorization: token.value} : {}}));
    };
    s.onmessage = function (e) {
      var m = JSON.parse(e.data);
      if (m.type === 'connection_ack') {
        s.send(JSON.stringify({id: '1', type: 'subscribe', payload: {query: q.value, variables: vars}}));
        status.textContent = 'subscribed';
      } else if (m.type === 'ping') {
        s.send(JSON.stringify({type: 'pong'}));
      } else if (m.type === 'next') {
        results.unshift(show(m.payload)); results.length = Math.min(results.length, 50);
        out.textContent = results.join('\n\n');
        status.textContent = 'subscribed: ' + results.length + ' result(s)';
      } else if (m.type === 'error') {
        out.textContent = show({errors: m.payload}); status.textContent = 'error';
      } else if (m.type === 'complete') {
        status.textContent = 'complete';
      }
    };
    s.onclose = function (e) {
      if (ws === s) { ws = null; stopBtn.hidden = true; }
      if (e.code !== 1000 && e.code !== 1005) status.textContent = 'closed: ' + e.code + ' ' + e.reason;
    };
  }
  function run() {
    var vars = {};
    try { vars = v.value.trim() ? JSON.parse(v.value) : {}; } catch (e) { out.textContent = 'Variables are not JSON: ' + e.message; return; }
    localStorage.setItem('graphiql:query', q.value);
    stop();
    if (/^\s*(#[^\n]*\n\s*)*subscription\b/.test(q.value)) { subscribe(vars); return; }
    status.textContent = '…';
    var headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
    if (token.value) headers.Authorization = token.value;
    fetch(endpoint, {method: 'POST', headers: headers, body: JSON.stringify({query: q.value, variables: vars})})
      .then(function (r) { status.textContent = r.status + ' ' + r.statusText; return r.text(); })
      .then(function (t) { out.textContent = show(t); })
      .catch(function (e) { status.textContent = ''; out.textContent = String(e); });
  }
  document.getElementById('run').addEventListener('click', run);
  stopBtn.addEventListener('click', function () { stop(); status.textContent = 'stopped'; });
  document.addEventListener('keydown', function (e) { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); run(); } });
})();
</script>
</body>
</html>
`
