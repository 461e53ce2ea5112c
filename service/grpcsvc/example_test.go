package grpcsvc_test

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/loopback-go/lb/service/grpcsvc"
)

func Example() {
	// A gRPC server with the health service and server reflection.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	gs := grpc.NewServer()
	healthpb.RegisterHealthServer(gs, health.NewServer())
	reflection.Register(gs)
	go gs.Serve(lis)
	defer gs.Stop()

	svc, err := grpcsvc.New(grpcsvc.Config{Name: "health", Target: lis.Addr().String()})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer svc.Close()
	type In struct {
		Service string `json:"service"`
	}
	type Out struct {
		Status string `json:"status"`
	}
	check := grpcsvc.MustBind[In, Out](svc, "grpc.health.v1.Health/Check")
	fmt.Println(check(context.Background(), In{}))
	// Output: {SERVING} <nil>
}
