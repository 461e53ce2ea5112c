package jwt_test

import (
	"fmt"
	"log"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
)

func Example() {
	s, err := jwt.New(jwt.Config{Secret: []byte("from the environment"), Issuer: "todo"})
	if err != nil {
		log.Fatal(err)
	}
	tok, err := s.Sign(&auth.Profile{ID: "42", Name: "ann", Roles: []string{"admin"}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	p, _, err := s.Verify(tok)
	fmt.Println(p.ID, p.Name, p.HasRole("admin"), err)
	_, _, err = s.Verify(tok[:len(tok)-2])
	fmt.Println(err)
	// Output:
	// 42 ann true <nil>
	// Error verifying token : invalid signature
}
