package rest

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/loopback-go/lb/internal/httpobs"
)

// Access log formats for [AccessLogConfig.Format].
const (
	// LogStructured logs one slog record per request, "request", with the
	// attributes method, path, status, bytes, duration, remote and
	// request_id (when [RequestID] runs first); the logger's handler
	// decides between JSON and text.
	LogStructured = ""
	// LogCommon writes Apache's common log format, as LoopBack's morgan
	// "common" does:
	//	127.0.0.1 - - [02/Dec/2026:17:40:43 +0000] "GET /todos HTTP/1.1" 200 92
	LogCommon = "common"
	// LogCombined is LogCommon followed by the quoted Referer and
	// User-Agent headers (morgan's "combined").
	LogCombined = "combined"
)

// AccessLogConfig configures [AccessLog]. The zero value logs one
// structured record per request to slog.Default().
type AccessLogConfig struct {
	// Format is LogStructured (""), LogCommon or LogCombined.
	Format string
	// Logger receives the structured records; nil means slog.Default().
	Logger *slog.Logger
	// Writer receives the lines of the common and combined formats; nil
	// means they are logged as the message of an Info record of Logger.
	Writer io.Writer
}

// AccessLog returns middleware that logs every request once it is answered.
// It panics for an unknown format, a programming error. Paths are logged
// without their query string in the structured format (query strings may
// carry secrets); the common formats log the request line as sent, as
// Apache does.
func AccessLog(cfg AccessLogConfig) Middleware {
	switch cfg.Format {
	case LogStructured, LogCommon, LogCombined:
	default:
		panic(fmt.Sprintf("rest: unknown access log format %q (want \"\", %q or %q)", cfg.Format, LogCommon, LogCombined))
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	// Behind a LogHandler, log to the handler it wraps and add the id here:
	// the same record, without LogHandler's copy of it.
	if h, ok := logger.Handler().(requestIDHandler); ok {
		logger = slog.New(h.Handler)
	}
	var mu sync.Mutex // serializes lines written to cfg.Writer
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec, w, r := httpobs.Wrap(w, r)
			next.ServeHTTP(w, r)
			status := rec.Status()
			if status == 0 {
				status = http.StatusOK
			}
			if cfg.Format == LogStructured {
				ctx := r.Context()
				h := logger.Handler()
				if !h.Enabled(ctx, slog.LevelInfo) {
					return
				}
				// The record is made here rather than by logger.LogAttrs:
				// the same record, without the stack walk that finds the
				// caller's source line (that of this function, of no use).
				end := time.Now()
				rc := slog.NewRecord(end, slog.LevelInfo, "request", 0)
				attrs := [7]slog.Attr{
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.Int("status", status),
					slog.Int64("bytes", rec.Written()),
					slog.Duration("duration", end.Sub(start)),
					slog.String("remote", remoteHost(r)),
				}
				n := 6
				if id := rec.RequestID; id != "" {
					attrs[n] = slog.String("request_id", id)
					n++
				}
				rc.AddAttrs(attrs[:n]...)
				h.Handle(ctx, rc) //nolint:errcheck // a failing log handler must not fail requests
				return
			}
			line := commonLine(r, status, rec.Written(), start, cfg.Format == LogCombined)
			if cfg.Writer == nil {
				logger.LogAttrs(r.Context(), slog.LevelInfo, line)
				return
			}
			mu.Lock()
			io.WriteString(cfg.Writer, line+"\n") //nolint:errcheck // a failing log writer must not fail requests
			mu.Unlock()
		})
	}
}

func remoteHost(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// commonLine formats a request in Apache's common (or combined) format.
func commonLine(r *http.Request, status int, n int64, t time.Time, combined bool) string {
	b := make([]byte, 0, 160)
	b = append(b, remoteHost(r)...)
	b = append(b, " - "...)
	if u, _, ok := r.BasicAuth(); ok && u != "" {
		b = appendQuotedPart(b, u, false)
	} else {
		b = append(b, '-')
	}
	b = append(b, " ["...)
	b = t.UTC().AppendFormat(b, "02/Jan/2006:15:04:05 -0700")
	b = append(b, "] \""...)
	b = appendQuotedPart(b, r.Method+" "+r.RequestURI+" "+r.Proto, false)
	b = append(b, "\" "...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	if n > 0 {
		b = strconv.AppendInt(b, n, 10)
	} else {
		b = append(b, '-')
	}
	if combined {
		b = append(b, " \""...)
		b = appendQuotedPart(b, r.Referer(), true)
		b = append(b, "\" \""...)
		b = appendQuotedPart(b, r.UserAgent(), true)
		b = append(b, '"')
	}
	return string(b)
}

// appendQuotedPart appends s with quotes, backslashes and control bytes
// escaped, so a client cannot forge log lines; an empty s is "-" when
// dash is set.
func appendQuotedPart(b []byte, s string, dash bool) []byte {
	if s == "" && dash {
		return append(b, '-')
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < ' ' || c == 0x7f:
			b = append(b, fmt.Sprintf("\\x%02x", c)...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// RecordRoute is middleware for [GroupAuthentication] that tells the
// observing middleware of a request (metrics, tracing) the path template
// of the operation it was routed to, so they label it "/todos/{id}"
// rather than by its raw path. The metrics and tracing packages install
// it; installing it more than once is harmless. Installed with
// [Server.UseIn] in GroupAuthentication or a later group, it is not run as
// middleware: the server records the route itself once it has routed the
// request, which spares every request a copy of its http.Request.
func RecordRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec := httpobs.From(r.Context()); rec != nil && rec.Route == "" {
			if ri, ok := RouteOf(r); ok {
				rec.Route = ri.Path
			}
		}
		next.ServeHTTP(w, r)
	})
}

// recordRoutePC identifies RecordRoute among middleware (functions do not
// compare with ==).
var recordRoutePC = reflect.ValueOf(Middleware(RecordRoute)).Pointer()

func isRecordRoute(m Middleware) bool {
	return m != nil && reflect.ValueOf(m).Pointer() == recordRoutePC
}
