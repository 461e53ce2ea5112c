package users_test

import (
	"context"
	"fmt"
	"log"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
	"github.com/loopback-go/lb/auth/users"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/rest"
)

func Example() {
	conn, err := memory.New(memory.Config{})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := users.New(conn, users.Config{
		JWT:              jwt.Config{Secret: []byte("a secret from the environment")},
		Hasher:           users.Bcrypt{Cost: 4}, // 10 (the default) in production
		FailedLoginDelay: -1,
	})
	if err != nil {
		log.Fatal(err)
	}
	srv := rest.New(rest.Config{})
	a := auth.New(auth.Config{Default: []string{"jwt"}})
	a.Register("jwt", svc.Strategy())
	a.Install(srv)
	srv.Controller(&users.Controller{Service: svc}) // POST /signup, POST /users/login, GET /whoAmI

	ctx := context.Background()
	u, err := svc.SignUp(ctx, users.NewUser{Email: "ann@example.com", Password: "correct horse"})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := svc.Login(ctx, "ann@example.com", "correct horse")
	if err != nil {
		log.Fatal(err)
	}
	p, _, err := svc.Strategy().Verify(tok)
	fmt.Println(p.ID == u.ID, p.Email, err)
	_, err = svc.Login(ctx, "ann@example.com", "wrong horse")
	fmt.Println(err)
	// Output:
	// true ann@example.com <nil>
	// Invalid email or password.
}
