package grpcsvc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/service"
)

// Config declares a gRPC service. Name and either Target or Conn are
// required; every other zero value is documented on its field.
type Config struct {
	// Name names the service in errors and logs.
	Name string
	// Target is the server's address ("127.0.0.1:50051"), dialed without
	// TLS; use Conn for anything else.
	Target string
	// Conn is an existing connection; Close leaves it open.
	Conn *grpc.ClientConn
	// Descriptors describe the services (protoc's
	// --descriptor_set_out with --include_imports); nil means asking the
	// server through gRPC server reflection (grpc.reflection.v1).
	Descriptors *descriptorpb.FileDescriptorSet
	// Idempotent lists the methods ("pkg.Service/Method") that may be
	// retried after UNAVAILABLE or a timeout; others are tried once.
	Idempotent []string
	// Policy sets timeouts, retries and the circuit breaker.
	Policy service.Policy
}

// Service calls the methods of a gRPC server with JSON-mapped messages
// (protojson), described by descriptors or server reflection. It is safe
// for concurrent use.
type Service struct {
	name   string
	conn   *grpc.ClientConn
	own    bool
	caller *service.Caller
	idem   map[string]bool

	mu      sync.Mutex
	files   *protoregistry.Files // nil until loaded (reflection)
	methods map[string]protoreflect.MethodDescriptor
}

// New connects (lazily, as grpc.NewClient does) and returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.Name == "" {
		return nil, errors.New("grpc service: a name is required")
	}
	s := &Service{name: cfg.Name, conn: cfg.Conn, caller: service.NewCaller(cfg.Name, cfg.Policy),
		idem: map[string]bool{}, methods: map[string]protoreflect.MethodDescriptor{}}
	for _, m := range cfg.Idempotent {
		s.idem[m] = true
	}
	if cfg.Descriptors != nil {
		files, err := protodesc.NewFiles(cfg.Descriptors)
		if err != nil {
			return nil, fmt.Errorf("grpc service %s: descriptors: %w", cfg.Name, err)
		}
		s.files = files
	}
	if s.conn == nil {
		if cfg.Target == "" {
			return nil, fmt.Errorf("grpc service %s: a Target or a Conn is required", cfg.Name)
		}
		conn, err := grpc.NewClient(cfg.Target, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return nil, fmt.Errorf("grpc service %s: %w", cfg.Name, err)
		}
		s.conn, s.own = conn, true
	}
	return s, nil
}

// Close closes the connection New opened.
func (s *Service) Close() error {
	if s.own {
		return s.conn.Close()
	}
	return nil
}

// Name returns the service's name.
func (s *Service) Name() string { return s.name }

// Caller returns the service's resilience caller.
func (s *Service) Caller() *service.Caller { return s.caller }

// method resolves "pkg.Service/Method" (a leading "/" is accepted).
func (s *Service) method(ctx context.Context, full string) (protoreflect.MethodDescriptor, error) {
	full = strings.TrimPrefix(full, "/")
	s.mu.Lock()
	md := s.methods[full]
	s.mu.Unlock()
	if md != nil {
		return md, nil
	}
	svcName, mName, ok := strings.Cut(full, "/")
	if !ok {
		return nil, fmt.Errorf("grpc service %s: method %q is not pkg.Service/Method", s.name, full)
	}
	s.mu.Lock()
	files := s.files
	s.mu.Unlock()
	if files == nil {
		var err error
		if files, err = s.reflect(ctx, svcName); err != nil {
			return nil, err
		}
	}
	d, err := files.FindDescriptorByName(protoreflect.FullName(svcName))
	if err != nil {
		return nil, fmt.Errorf("grpc service %s: service %s: %w", s.name, svcName, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, fmt.Errorf("grpc service %s: %s is not a service", s.name, svcName)
	}
	md = sd.Methods().ByName(protoreflect.Name(mName))
	if md == nil {
		return nil, fmt.Errorf("grpc service %s: service %s has no method %s", s.name, svcName, mName)
	}
	s.mu.Lock()
	s.methods[full] = md
	s.mu.Unlock()
	return md, nil
}

// reflect asks the server for the file that defines symbol and the files
// it imports, through server reflection.
func (s *Service) reflect(ctx context.Context, symbol string) (*protoregistry.Files, error) {
	stream, err := rpb.NewServerReflectionClient(s.conn).ServerReflectionInfo(ctx)
	if err != nil {
		return nil, s.upstream("reflection", err)
	}
	defer stream.CloseSend()
	protos := map[string]*descriptorpb.FileDescriptorProto{}
	ask := func(req *rpb.ServerReflectionRequest) error {
		if err := stream.Send(req); err != nil {
			return err
		}
		res, err := stream.Recv()
		if err != nil {
			return err
		}
		if e := res.GetErrorResponse(); e != nil {
			return status.Error(codes.Code(e.ErrorCode), e.ErrorMessage)
		}
		for _, b := range res.GetFileDescriptorResponse().GetFileDescriptorProto() {
			fd := &descriptorpb.FileDescriptorProto{}
			if err := proto.Unmarshal(b, fd); err != nil {
				return fmt.Errorf("a file descriptor does not decode: %w", err)
			}
			protos[fd.GetName()] = fd
		}
		return nil
	}
	if err := ask(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: symbol}}); err != nil {
		return nil, s.upstream("reflection", err)
	}
	for round := 0; ; round++ {
		var missing []string
		for _, fd := range protos {
			for _, dep := range fd.GetDependency() {
				if protos[dep] == nil {
					missing = append(missing, dep)
				}
			}
		}
		if len(missing) == 0 {
			break
		}
		if round > 100 {
			return nil, fmt.Errorf("grpc service %s: reflection: too many imports", s.name)
		}
		for _, dep := range missing {
			if protos[dep] != nil {
				continue
			}
			if err := ask(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_FileByFilename{FileByFilename: dep}}); err != nil {
				return nil, s.upstream("reflection", err)
			}
			if protos[dep] == nil {
				return nil, fmt.Errorf("grpc service %s: reflection: the server did not send %s", s.name, dep)
			}
		}
	}
	set := &descriptorpb.FileDescriptorSet{}
	for _, fd := range protos {
		set.File = append(set.File, fd)
	}
	files, err := protodesc.NewFiles(set)
	if err != nil {
		return nil, fmt.Errorf("grpc service %s: reflection: %w", s.name, err)
	}
	return files, nil
}

// upstream wraps a failure outside Call (reflection) like Call does.
func (s *Service) upstream(op string, err error) error {
	return s.caller.Call(context.Background(), op, false, func(context.Context) error { return classify(err) })
}

// request builds the request message of md from in.
func (s *Service) request(md protoreflect.MethodDescriptor, in any) (*dynamicpb.Message, error) {
	msg := dynamicpb.NewMessage(md.Input())
	if in == nil {
		return msg, nil
	}
	var data []byte
	switch v := in.(type) {
	case json.RawMessage:
		data = v
	case []byte:
		data = v
	default:
		var err error
		if data, err = json.Marshal(in); err != nil {
			return nil, err
		}
	}
	if err := protojson.Unmarshal(data, msg); err != nil {
		return nil, err
	}
	return msg, nil
}

// Call calls the unary method ("pkg.Service/Method") with in — a value
// whose JSON is the request message in protojson form (a struct, a
// map[string]any or a json.RawMessage) — and decodes the response's
// protojson into out (nil discards it).
//
// An argument that does not fit the request message is a 400
// (INVALID_SERVICE_ARGUMENTS) and nothing is sent. A gRPC error status is
// a 502 (a 504 for DEADLINE_EXCEEDED) whose wrapped *service.Error has
// the code name as Code, the status message as Message and, as Status,
// the HTTP status the code maps to (NOT_FOUND 404, INVALID_ARGUMENT 400 …)
// for handlers that want to pass it on.
func (s *Service) Call(ctx context.Context, method string, in, out any) error {
	md, err := s.method(ctx, method)
	if err != nil {
		return err
	}
	if md.IsStreamingClient() || md.IsStreamingServer() {
		return fmt.Errorf("grpc service %s: %s is a streaming method; use Stream", s.name, method)
	}
	req, err := s.request(md, in)
	if err != nil {
		return s.badArgs(method, err)
	}
	full := "/" + string(md.Parent().FullName()) + "/" + string(md.Name())
	return s.caller.Call(ctx, method, s.idem[strings.TrimPrefix(method, "/")], func(ctx context.Context) error {
		res := dynamicpb.NewMessage(md.Output())
		if err := s.conn.Invoke(ctx, full, req, res); err != nil {
			return classify(err)
		}
		return decode(res, out)
	})
}

func (s *Service) badArgs(method string, err error) error {
	return &fault.Error{Kind: fault.BadRequest, Code: "INVALID_SERVICE_ARGUMENTS", Err: err,
		Message: fmt.Sprintf("service %s, operation %s: the arguments do not fit the request message", s.name, method)}
}

// decode writes res's protojson into out.
func decode(res *dynamicpb.Message, out any) error {
	if out == nil {
		return nil
	}
	data, err := protojson.Marshal(res)
	if err != nil {
		return &service.Error{Malformed: true, Err: err}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &service.Error{Malformed: true, Err: err}
	}
	return nil
}

// Stream calls the server-streaming method with in and yields each
// response message's protojson. The call's errors are those of Call, the
// first yielded with an empty message; the stream is not retried, and
// ends when the loop stops, ctx is done, or the server ends it.
func (s *Service) Stream(ctx context.Context, method string, in any) iter.Seq2[json.RawMessage, error] {
	return func(yield func(json.RawMessage, error) bool) {
		md, err := s.method(ctx, method)
		if err != nil {
			yield(nil, err)
			return
		}
		if !md.IsStreamingServer() || md.IsStreamingClient() {
			yield(nil, fmt.Errorf("grpc service %s: %s is not a server-streaming method", s.name, method))
			return
		}
		req, err := s.request(md, in)
		if err != nil {
			yield(nil, s.badArgs(method, err))
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var stream grpc.ClientStream
		full := "/" + string(md.Parent().FullName()) + "/" + string(md.Name())
		err = s.caller.Call(ctx, method, false, func(actx context.Context) error {
			// The attempt's timeout bounds opening the stream, not reading it.
			st, err := s.conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, full)
			if err != nil {
				return classify(err)
			}
			if err := st.SendMsg(req); err != nil {
				return classify(err)
			}
			if err := st.CloseSend(); err != nil {
				return classify(err)
			}
			stream = st
			return nil
		})
		if err != nil {
			yield(nil, err)
			return
		}
		for {
			res := dynamicpb.NewMessage(md.Output())
			if err := stream.RecvMsg(res); err != nil {
				if errors.Is(err, io.EOF) {
					return
				}
				yield(nil, s.caller.Call(ctx, method, false, func(context.Context) error { return classify(err) }))
				return
			}
			data, err := protojson.Marshal(res)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(data, nil) {
				return
			}
		}
	}
}

// classify turns a gRPC error into what service.Caller reads.
func classify(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	switch st.Code() {
	case codes.Canceled:
		return context.Canceled
	case codes.DeadlineExceeded:
		return &service.Error{Timeout: true, Code: st.Code().String(), Message: st.Message(), Err: err}
	}
	return &service.Error{Code: st.Code().String(), Message: st.Message(), Status: httpStatus(st.Code()), Err: err,
		Retryable: st.Code() == codes.Unavailable || st.Code() == codes.ResourceExhausted}
}

// httpStatus is the HTTP status a gRPC code corresponds to (the mapping of
// grpc-gateway and Google APIs).
func httpStatus(c codes.Code) int {
	switch c {
	case codes.OK:
		return http.StatusOK
	case codes.InvalidArgument, codes.OutOfRange, codes.FailedPrecondition:
		return http.StatusBadRequest
	case codes.Unauthenticated:
		return http.StatusUnauthorized
	case codes.PermissionDenied:
		return http.StatusForbidden
	case codes.NotFound:
		return http.StatusNotFound
	case codes.AlreadyExists, codes.Aborted:
		return http.StatusConflict
	case codes.ResourceExhausted:
		return http.StatusTooManyRequests
	case codes.Unimplemented:
		return http.StatusNotImplemented
	case codes.Unavailable:
		return http.StatusServiceUnavailable
	case codes.DeadlineExceeded:
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}

// Func is a typed unary method, as [Bind] returns it.
type Func[I, O any] func(ctx context.Context, in I) (O, error)

// Bind returns the unary method of s as a typed Go function: I's JSON is
// the request message's protojson, and the response's protojson is
// decoded into O. The method is resolved at the first call.
func Bind[I, O any](s *Service, method string) (Func[I, O], error) {
	if _, _, ok := strings.Cut(strings.TrimPrefix(method, "/"), "/"); !ok {
		return nil, fmt.Errorf("grpc service %s: method %q is not pkg.Service/Method", s.name, method)
	}
	return func(ctx context.Context, in I) (O, error) {
		var out O
		err := s.Call(ctx, method, in, &out)
		return out, err
	}, nil
}

// MustBind is [Bind] that panics on an error; use it while setting up.
func MustBind[I, O any](s *Service, method string) Func[I, O] {
	fn, err := Bind[I, O](s, method)
	if err != nil {
		panic(err)
	}
	return fn
}
