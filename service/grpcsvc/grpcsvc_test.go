package grpcsvc_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/service"
	"github.com/loopback-go/lb/service/grpcsvc"
)

// server is an in-process gRPC server on a loopback socket with the
// standard health service (unary Check, server-streaming Watch). An
// interceptor makes Check of service "slow" hang and of "flaky" fail
// with UNAVAILABLE twice.
type server struct {
	addr   string
	health *health.Server
	flaky  atomic.Int32
	calls  atomic.Int32
}

func startServer(t *testing.T, withReflection bool) *server {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{addr: lis.Addr().String(), health: health.NewServer()}
	gs := grpc.NewServer(grpc.UnaryInterceptor(func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		s.calls.Add(1)
		if r, ok := req.(*healthpb.HealthCheckRequest); ok {
			switch r.GetService() {
			case "slow":
				<-ctx.Done()
				return nil, status.Error(codes.DeadlineExceeded, "too slow")
			case "flaky":
				if s.flaky.Add(1) <= 2 {
					return nil, status.Error(codes.Unavailable, "try again")
				}
				return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
			}
		}
		return h(ctx, req)
	}))
	healthpb.RegisterHealthServer(gs, s.health)
	if withReflection {
		reflection.Register(gs)
	}
	go gs.Serve(lis)
	t.Cleanup(gs.Stop)
	return s
}

var fast = service.Policy{Timeout: 2 * time.Second, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

const check = "grpc.health.v1.Health/Check"

func wantFault(t *testing.T, err error, kind fault.Kind) *fault.Error {
	t.Helper()
	fe, ok := errors.AsType[*fault.Error](err)
	if !ok || fe.Kind != kind {
		t.Fatalf("got %v; want a fault of kind %v", err, kind)
	}
	return fe
}

func TestUnaryByReflection(t *testing.T) {
	srv := startServer(t, true)
	srv.health.SetServingStatus("orders", healthpb.HealthCheckResponse_NOT_SERVING)
	s, err := grpcsvc.New(grpcsvc.Config{Name: "health", Target: srv.addr, Policy: fast, Idempotent: []string{check}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var out struct {
		Status string `json:"status"`
	}
	if err := s.Call(ctx, check, map[string]any{"service": ""}, &out); err != nil || out.Status != "SERVING" {
		t.Errorf("Check: got (%v, %v); want SERVING", out, err)
	}
	check2 := grpcsvc.MustBind[struct {
		Service string `json:"service"`
	}, map[string]any](s, check)
	if got, err := check2(ctx, struct {
		Service string `json:"service"`
	}{"orders"}); err != nil || got["status"] != "NOT_SERVING" {
		t.Errorf("Check orders (typed): got (%v, %v); want NOT_SERVING", got, err)
	}

	// An error status: 502, with the code and its HTTP equivalent kept.
	err = s.Call(ctx, check, map[string]any{"service": "unknown"}, &out)
	fe := wantFault(t, err, fault.BadGateway)
	se, _ := service.AsError(err)
	if se == nil || se.Code != "NotFound" || se.Status != 404 || strings.Contains(fe.Message, "unknown service") {
		t.Errorf("NOT_FOUND: got %+v, message %q; want code NotFound, status 404, no upstream text in the message", se, fe.Message)
	}
	// UNAVAILABLE is retried for an idempotent method.
	if err := s.Call(ctx, check, map[string]any{"service": "flaky"}, &out); err != nil || out.Status != "SERVING" {
		t.Errorf("flaky: got (%v, %v); want SERVING after retries", out, err)
	}
	// Bad arguments: 400, nothing sent.
	before := srv.calls.Load()
	wantFault(t, s.Call(ctx, check, map[string]any{"service": 5}, &out), fault.BadRequest)
	wantFault(t, s.Call(ctx, check, map[string]any{"nope": "x"}, &out), fault.BadRequest)
	if srv.calls.Load() != before {
		t.Error("a call with bad arguments reached the server")
	}
	if err := s.Call(ctx, "grpc.health.v1.Health/Nope", nil, nil); err == nil {
		t.Error("unknown method: got nil; want an error")
	}
	if err := s.Call(ctx, "grpc.health.v1.Health/Watch", nil, nil); err == nil {
		t.Error("Call of a streaming method: got nil; want an error")
	}
}

func TestTimeoutAndUnreachable(t *testing.T) {
	srv := startServer(t, true)
	p := fast
	p.Timeout, p.Attempts = 100*time.Millisecond, 1
	s, err := grpcsvc.New(grpcsvc.Config{Name: "health", Target: srv.addr, Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	wantFault(t, s.Call(context.Background(), check, map[string]any{"service": "slow"}, nil), fault.GatewayTimeout)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v; want about 100ms", d)
	}
	// Nothing listens: reflection fails as an upstream error.
	lis, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := lis.Addr().String()
	lis.Close()
	dead, err := grpcsvc.New(grpcsvc.Config{Name: "dead", Target: addr, Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	if err := dead.Call(context.Background(), check, nil, nil); !errors.Is(err, fault.BadGateway) && !errors.Is(err, fault.GatewayTimeout) {
		t.Errorf("unreachable: got %v; want a 502 or 504", err)
	}
}

func TestStreamWithDescriptors(t *testing.T) {
	srv := startServer(t, false) // no reflection: descriptors given
	set := &descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{protodesc.ToFileDescriptorProto(healthpb.File_grpc_health_v1_health_proto)}}
	s, err := grpcsvc.New(grpcsvc.Config{Name: "health", Target: srv.addr, Policy: fast, Descriptors: set})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []string
	for msg, err := range s.Stream(ctx, "grpc.health.v1.Health/Watch", map[string]any{"service": "orders"}) {
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Status string `json:"status"`
		}
		json.Unmarshal(msg, &m)
		got = append(got, m.Status)
		switch len(got) {
		case 1:
			srv.health.SetServingStatus("orders", healthpb.HealthCheckResponse_SERVING)
		case 2:
			srv.health.SetServingStatus("orders", healthpb.HealthCheckResponse_NOT_SERVING)
		}
		if len(got) == 3 {
			break
		}
	}
	if strings.Join(got, ",") != "SERVICE_UNKNOWN,SERVING,NOT_SERVING" {
		t.Errorf("Watch: got %v; want SERVICE_UNKNOWN,SERVING,NOT_SERVING", got)
	}
	for _, err := range s.Stream(ctx, check, nil) {
		if err == nil {
			t.Error("Stream of a unary method: got a message; want an error")
		}
		break
	}
}
