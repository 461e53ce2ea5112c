package redis_test

import (
	"context"
	"fmt"
	"time"

	"github.com/loopback-go/lb/connector/redis"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

func Example() {
	ctx := context.Background()
	c, err := redis.Open(ctx, redis.Config{Addr: "127.0.0.1:6379", Prefix: "example:"})
	if err != nil {
		fmt.Println("no Redis here:", err != nil)
		return
	}
	defer c.Close()
	type Session struct {
		User string `json:"user"`
	}
	sessions := repository.NewKV[Session](c, model.MustFromStruct[Session]())
	if err := sessions.Set(ctx, "s1", &Session{User: "ann"}, time.Minute); err != nil {
		fmt.Println(err)
		return
	}
	s, ok, err := sessions.Get(ctx, "s1")
	fmt.Println(s.User, ok, err)
	_ = sessions.DeleteAll(ctx)
}
