package rest_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/rest"
)

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// rawResponse is a response read from a raw TCP connection.
type rawResponse struct {
	status int
	header http.Header
	close  bool // the response said Connection: close
	body   string
}

// readRaw reads one response from a raw connection.
func readRaw(t *testing.T, br *bufio.Reader, method string) rawResponse {
	t.Helper()
	res, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read response body: %v (got %q so far)", err, b)
	}
	return rawResponse{status: res.StatusCode, header: res.Header, close: res.Close, body: string(b)}
}

// rawApp serves the contract test app on a loopback port until the test
// ends and returns its address.
func rawApp(t *testing.T, cfg rest.Config) (*rest.Server, string) {
	t.Helper()
	s := newTestApp(t, cfg)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.Listener.Addr().String()
}

// dialRaw opens a raw TCP connection to addr, closed when the test ends,
// with a five-second deadline.
func dialRaw(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	return conn, bufio.NewReader(conn)
}

// waitFor polls cond for up to two seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestTrickledBodyIsCutOffWith408(t *testing.T) {
	s, addr := rawApp(t, rest.Config{BodyReadTimeout: 150 * time.Millisecond, Logger: discard()})
	conn, br := dialRaw(t, addr)
	start := time.Now()
	fmt.Fprint(conn, "POST /todos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"title\":\"")
	stop := make(chan struct{})
	defer close(stop)
	go func() { // one byte every 20 ms: the whole body would take 20 s
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				if _, err := conn.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	res := readRaw(t, br, "POST")
	elapsed := time.Since(start)
	if res.status != http.StatusRequestTimeout {
		t.Errorf("status: got %d; want 408", res.status)
	}
	if want := `{"error":{"statusCode":408,"name":"RequestTimeoutError","message":"request timeout"}}`; res.body != want {
		t.Errorf("body: got %s; want %s", res.body, want)
	}
	if !res.close {
		t.Error("Connection: got keep-alive; want close")
	}
	if elapsed < 150*time.Millisecond || elapsed > 2*time.Second {
		t.Errorf("answered after %v; want soon after the 150ms deadline", elapsed)
	}
	if _, err := br.ReadByte(); err == nil {
		t.Error("connection still open after the 408; want it closed")
	}
	if got := s.Stats().TimedOut; got != 1 {
		t.Errorf("Stats().TimedOut: got %d; want 1", got)
	}
}

func TestTrickledMultipartIsCutOffWith408(t *testing.T) {
	_, addr := rawApp(t, rest.Config{BodyReadTimeout: 100 * time.Millisecond, Logger: discard()})
	conn, br := dialRaw(t, addr)
	// Half a part, then nothing: the client holds the body back.
	fmt.Fprint(conn, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 500\r\n\r\n--XX\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nh")
	res := readRaw(t, br, "POST")
	if want := `{"error":{"statusCode":408,"name":"RequestTimeoutError","message":"request timeout"}}`; res.status != 408 || res.body != want || !res.close {
		t.Errorf("got %d %s (close %v); want 408 %s and the connection closed", res.status, res.body, res.close, want)
	}
}

func TestBodyDeadlineIsLiftedOnceTheBodyIsRead(t *testing.T) {
	s := rest.New(rest.Config{BodyReadTimeout: 50 * time.Millisecond, Logger: discard()})
	rest.Post(s, "/slow", func(ctx context.Context, in *createIn) (*Todo, error) {
		time.Sleep(200 * time.Millisecond) // well past the body deadline
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("request context: %w", err)
		}
		return &Todo{ID: 1, Title: in.Body.Title}, nil
	})
	srv := httptest.NewServer(s)
	defer srv.Close()
	conn, br := dialRaw(t, srv.Listener.Addr().String())
	for i := range 2 { // the same keep-alive connection serves a second request
		body := `{"title":"a"}`
		fmt.Fprintf(conn, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		res := readRaw(t, br, "POST")
		if res.status != 200 || res.body != `{"id":1,"title":"a"}` {
			t.Errorf("request %d: got %d %s; want 200 {\"id\":1,\"title\":\"a\"}", i, res.status, res.body)
		}
	}
	if st := s.Stats(); st.TimedOut != 0 || st.Canceled != 0 {
		t.Errorf("Stats: got %+v; want no timeouts or cancellations", st)
	}
}

func TestInFlightCapAnswers503ThenRecovers(t *testing.T) {
	s := rest.New(rest.Config{MaxInFlight: 1, Logger: discard()})
	entered, release := make(chan struct{}), make(chan struct{})
	rest.Get(s, "/block", func(context.Context, *struct{}) (*pingOut, error) {
		entered <- struct{}{}
		<-release
		return &pingOut{Pong: "late"}, nil
	})
	rest.Get(s, "/ping", ping)
	srv := httptest.NewServer(s)
	defer srv.Close()

	first := make(chan string, 1)
	go func() {
		res, err := srv.Client().Get(srv.URL + "/block")
		if err != nil {
			first <- err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		first <- fmt.Sprint(res.StatusCode, " ", string(b))
	}()
	<-entered

	st, h, body := get(t, srv.Client(), srv.URL+"/ping")
	if st != http.StatusServiceUnavailable {
		t.Errorf("status over the cap: got %d; want 503", st)
	}
	if want := `{"error":{"statusCode":503,"message":"Service Unavailable"}}`; body != want {
		t.Errorf("body over the cap: got %s; want %s", body, want)
	}
	for k, want := range map[string]string{"Retry-After": "1", "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*"} {
		if got := h.Get(k); got != want {
			t.Errorf("header %s over the cap: got %q; want %q", k, got, want)
		}
	}
	waitFor(t, "the refused request to end", func() bool { return s.Stats().InFlight == 1 })
	if got := s.Stats(); got.Rejected != 1 || got.InFlight != 1 {
		t.Errorf("Stats while blocked: got %+v; want Rejected 1, InFlight 1", got)
	}

	close(release)
	if got := <-first; got != `200 {"pong":"late"}` {
		t.Errorf("blocked request: got %s; want 200 {\"pong\":\"late\"}", got)
	}
	waitFor(t, "the slot to be free", func() bool { return s.Stats().InFlight == 0 })
	if st, _, body := get(t, srv.Client(), srv.URL+"/ping"); st != 200 || body != `{"pong":"ok"}` {
		t.Errorf("after the blocked request: got %d %s; want 200 {\"pong\":\"ok\"}", st, body)
	}
	if got := s.Stats().Rejected; got != 1 {
		t.Errorf("Stats().Rejected: got %d; want 1", got)
	}
}

// sendWholeBodyThenRead is a client that writes its whole request before it
// reads the response, as simple clients do.
func sendWholeBodyThenRead(t *testing.T, addr, head string, size int, chunked bool) (rawResponse, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var req []byte
	if chunked {
		req = fmt.Appendf(nil, "%sTransfer-Encoding: chunked\r\n\r\n%x\r\n", head, size)
		req = append(req, bytes.Repeat([]byte("x"), size)...)
		req = append(req, "\r\n0\r\n\r\n"...)
	} else {
		req = fmt.Appendf(nil, "%sContent-Length: %d\r\n\r\n", head, size)
		req = append(req, bytes.Repeat([]byte("x"), size)...)
	}
	if _, err := conn.Write(req); err != nil {
		return rawResponse{}, fmt.Errorf("write request: %w", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return rawResponse{}, fmt.Errorf("read response: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return rawResponse{}, fmt.Errorf("read response body: %w", err)
	}
	return rawResponse{status: res.StatusCode, header: res.Header, body: string(b)}, nil
}

func TestEarlyErrorWithUnreadBodyReachesTheClient(t *testing.T) {
	const size = 16 << 20 // more than the socket buffers hold
	_, addr := rawApp(t, rest.Config{MaxBodySize: 1024, MaxDrainSize: 32 << 20, Logger: discard()})
	tests := []struct {
		name, head string
		chunked    bool
		status     int
		want       string
	}{
		{"413 from Content-Length", "POST /todos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n", false, 413,
			`{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"request entity too large"}}`},
		{"413 while reading a chunked body", "POST /todos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n", true, 413,
			`{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"request entity too large"}}`},
		{"400 on a parameter", "DELETE /todos/abc HTTP/1.1\r\nHost: x\r\n", false, 400,
			`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"abc\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{"415", "POST /todos HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n", false, 415,
			`{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type text/plain does not match [application/json].","code":"UNSUPPORTED_MEDIA_TYPE"}}`},
		{"404", "POST /nowhere HTTP/1.1\r\nHost: x\r\n", true, 404,
			`{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"POST /nowhere\" not found."}}`},
		{"charset", "POST /todos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=latin1\r\n", false, 415,
			`{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"unsupported charset \"LATIN1\""}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := sendWholeBodyThenRead(t, addr, tc.head, size, tc.chunked)
			if err != nil {
				t.Fatalf("got %v; want the %d response", err, tc.status)
			}
			if res.status != tc.status || res.body != tc.want {
				t.Errorf("got %d %s; want %d %s", res.status, res.body, tc.status, tc.want)
			}
		})
	}
}

func TestSmallUnreadBodyKeepsTheConnection(t *testing.T) {
	_, addr := rawApp(t, rest.Config{Logger: discard()})
	conn, br := dialRaw(t, addr)
	fmt.Fprint(conn, "POST /todos HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
	if res := readRaw(t, br, "POST"); res.status != 415 || res.close {
		t.Errorf("first: got %d (close %v); want 415 on a kept connection", res.status, res.close)
	}
	fmt.Fprint(conn, "GET /todos/1 HTTP/1.1\r\nHost: x\r\n\r\n")
	if res := readRaw(t, br, "GET"); res.status != 200 || res.body != `{"id":1,"title":"t1"}` {
		t.Errorf("second on the same connection: got %d %s; want 200", res.status, res.body)
	}
}

func TestClientCancelIsNotA500(t *testing.T) {
	var logs syncBuffer
	s := rest.New(rest.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	entered := make(chan struct{})
	rest.Get(s, "/wait", func(ctx context.Context, _ *struct{}) (*pingOut, error) {
		close(entered)
		<-ctx.Done()
		return nil, fmt.Errorf("find todos: %w", ctx.Err())
	})
	srv := httptest.NewServer(s)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/wait", nil)
	done := make(chan error, 1)
	go func() {
		res, err := srv.Client().Do(req)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	<-entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: got %v; want context.Canceled", err)
	}
	waitFor(t, "the cancellation to be counted", func() bool { return s.Stats().Canceled == 1 })
	waitFor(t, "the cancellation to be logged", func() bool { return strings.Contains(logs.String(), "request canceled by client") })
	got := logs.String()
	for _, want := range []string{`level=INFO msg="request canceled by client" method=GET path=/wait status=499`} {
		if !strings.Contains(got, want) {
			t.Errorf("log: got %q; want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "level=ERROR") || strings.Contains(got, "status=500") {
		t.Errorf("log: got %q; want no error and no 500", got)
	}
}

func TestHandlersOwnCancelIsStillA500(t *testing.T) {
	s := rest.New(rest.Config{Logger: discard()})
	rest.Get(s, "/own", func(ctx context.Context, _ *struct{}) (*pingOut, error) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		return nil, ctx.Err()
	})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/own", nil))
	if want := `{"error":{"statusCode":500,"message":"Internal Server Error"}}`; w.Code != 500 || w.Body.String() != want {
		t.Errorf("got %d %s; want 500 %s", w.Code, w.Body, want)
	}
	if got := s.Stats().Canceled; got != 0 {
		t.Errorf("Stats().Canceled: got %d; want 0", got)
	}
}

func TestTrickledHeadersAreCutOff(t *testing.T) {
	s := rest.New(rest.Config{Host: "127.0.0.1", ReadHeaderTimeout: 100 * time.Millisecond, Logger: discard()})
	rest.Get(s, "/ping", ping)
	ctx := context.Background()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Stop(ctx)
	conn, _ := dialRaw(t, strings.TrimPrefix(s.URL(), "http://"))
	start := time.Now()
	fmt.Fprint(conn, "GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	if n, err := conn.Read(make([]byte, 512)); err == nil {
		t.Errorf("got %d bytes; want the connection closed", n)
	} else if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("the server kept the connection open for %v", time.Since(start))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("closed after %v; want soon after the 100ms header timeout", d)
	}
}

func TestMaxConnectionsQueuesTheRest(t *testing.T) {
	s := rest.New(rest.Config{Host: "127.0.0.1", MaxConnections: 1, Logger: discard()})
	rest.Get(s, "/ping", ping)
	ctx := context.Background()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Stop(ctx)
	addr := strings.TrimPrefix(s.URL(), "http://")
	dial := func() (net.Conn, *bufio.Reader) {
		conn, br := dialRaw(t, addr)
		fmt.Fprint(conn, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
		return conn, br
	}
	first, br1 := dial()
	if res := readRaw(t, br1, "GET"); res.status != 200 {
		t.Fatalf("first connection: got %d; want 200", res.status)
	}
	// The first connection stays open (keep-alive): the second waits.
	second, br2 := dial()
	second.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
	if _, err := br2.Peek(1); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("second connection while the first is open: got %v; want no answer yet", err)
	}
	first.Close()
	second.SetReadDeadline(time.Now().Add(2 * time.Second))
	if res := readRaw(t, br2, "GET"); res.status != 200 || res.body != `{"pong":"ok"}` {
		t.Errorf("second connection after the first closed: got %d %s; want 200", res.status, res.body)
	}
}

func TestBodyCutShortByTheClientIsACancel(t *testing.T) {
	var logs syncBuffer
	s, addr := rawApp(t, rest.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	conn, _ := dialRaw(t, addr)
	fmt.Fprint(conn, "POST /todos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":")
	conn.Close()
	waitFor(t, "the cut-short body to be counted", func() bool { return s.Stats().Canceled == 1 })
	got := logs.String()
	if want := `level=INFO msg="request canceled by client" method=POST path=/todos status=499`; !strings.Contains(got, want) {
		t.Errorf("log: got %q; want it to contain %q", got, want)
	}
	if strings.Contains(got, "level=ERROR") {
		t.Errorf("log: got %q; want no error", got)
	}
}

func TestHalfClosedBodyIsAnsweredRequestAborted(t *testing.T) {
	_, addr := rawApp(t, rest.Config{Logger: discard()})
	conn, br := dialRaw(t, addr)
	fmt.Fprint(conn, "POST /todos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":")
	conn.(*net.TCPConn).CloseWrite() // the body ends early; the client still reads
	res := readRaw(t, br, "POST")
	if want := `{"error":{"statusCode":400,"name":"BadRequestError","message":"request aborted","code":"ECONNABORTED"}}`; res.status != 400 || res.body != want {
		t.Errorf("got %d %s; want 400 %s", res.status, res.body, want)
	}
}

func TestErrorsEchoAtMost100CharactersOfInput(t *testing.T) {
	s := newTestApp(t, rest.Config{Logger: discard()})
	long := strings.Repeat("é", 400) // 800 bytes
	tests := []struct {
		name, method, path, contentType string
		status                          int
		want                            string
	}{
		{"parameter", "GET", "/todos/" + long, "", 400,
			`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"` + strings.Repeat("é", 100) + `…\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{"not found", "GET", "/" + long, "", 404,
			`{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"GET /` + strings.Repeat("é", 95) + "…" + `\" not found."}}`},
		{"content type", "POST", "/todos", "text/" + strings.Repeat("x", 600), 415,
			`{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type text/` + strings.Repeat("x", 95) + `… does not match [application/json].","code":"UNSUPPORTED_MEDIA_TYPE"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/", strings.NewReader("x"))
			r.URL.Path = tc.path
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != tc.status || w.Body.String() != tc.want {
				t.Errorf("got %d %s; want %d %s", w.Code, w.Body, tc.status, tc.want)
			}
		})
	}
}
