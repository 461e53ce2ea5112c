package auth_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/rest/resttest"
)

type Note struct {
	ID      int64  `json:"id" lb:"id,generated"`
	Title   string `json:"title" required:"true"`
	OwnerID string `json:"ownerId" required:"true"`
}

func ownerServer(t *testing.T) *resttest.Client {
	t.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	notes := repository.MustNew[Note, int64](conn)
	for _, n := range []Note{{Title: "a1", OwnerID: "ann"}, {Title: "b1", OwnerID: "bob"}, {Title: "a2", OwnerID: "ann"}, {Title: "b2", OwnerID: "bob"}} {
		if _, err := notes.Create(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
	}
	srv := rest.New(rest.Config{})
	a := auth.New(auth.Config{
		Default:         []string{"jwt"},
		AuthorizeAll:    true,
		DefaultDecision: auth.Allow,
		Authorizers:     []auth.Authorizer{&auth.Owner{BasePath: "/notes", Property: "ownerId", Model: notes.Model()}},
	})
	a.Register("jwt", bearer{})
	a.Install(srv)
	if err := crud.Mount(srv, notes, crud.Options{}); err != nil {
		t.Fatal(err)
	}
	return resttest.New(t, srv)
}

func titles(t *testing.T, r *resttest.Response) []string {
	t.Helper()
	var ns []Note
	r.Expect(200).JSON(&ns)
	out := []string{}
	for _, n := range ns {
		out = append(out, n.Title)
	}
	return out
}

func TestOwnerVoter(t *testing.T) {
	c := ownerServer(t)
	ann := c.WithHeader("Authorization", "Bearer good-ann")
	bob := c.WithHeader("Authorization", "Bearer good-bob")
	finds := []struct {
		query string
		want  string
	}{
		{"", `["a1","a2"]`},
		{"?filter=" + url.QueryEscape(`{"where":{"title":"b1"}}`), `[]`},
		{"?filter=" + url.QueryEscape(`{"where":{"or":[{"ownerId":"bob"},{"title":"b2"}]}}`), `[]`},
		{"?filter=" + url.QueryEscape(`{"where":{"title":{"like":"a"}},"order":["title DESC"]}`), `["a2","a1"]`},
		{"?filter[where][title]=a2", `["a2"]`},
		{"?filter[where][or][0][ownerId]=bob&filter[where][or][1][title]=b1", `[]`},
		{"?filter[order]=title%20DESC&filter[limit]=1", `["a2"]`},
		{"?filter[where][ownerId]=bob", `["a1","a2"]`},
		{"?filter[where][ownerId][neq]=ann", `["a1","a2"]`},
		{"?filter[where][and][0][ownerId]=bob", `[]`},
		{"?filter=" + url.QueryEscape(`{"limit":1}`), `["a1"]`},
	}
	for _, f := range finds {
		got, _ := json.Marshal(titles(t, ann.Get("/notes"+f.query)))
		if string(got) != f.want {
			t.Errorf("GET /notes%s as ann: got %s; want %s", f.query, got, f.want)
		}
	}
	ann.Get("/notes?filter.where.ownerId=bob").Expect(403)
	ann.Get("/notes?filter=" + url.QueryEscape(`{}`) + "&filter[where][ownerId]=bob").Expect(403)
	ann.Get("/notes/count").Expect(200).ExpectBody(`{"count":2}`)
	ann.Get("/notes/count?where[ownerId]=bob").Expect(200).ExpectBody(`{"count":2}`) // ann's condition replaced by ann's ownership
	ann.Get("/notes/count?where=" + url.QueryEscape(`{"or":[{"ownerId":"bob"},{"title":"b1"}]}`)).Expect(200).ExpectBody(`{"count":0}`)
	ann.Get("/notes/count?where=" + url.QueryEscape(`{"title":"a1"}`)).Expect(200).ExpectBody(`{"count":1}`)
	ann.Get("/notes/1").Expect(200)
	ann.Get("/notes/2").Expect(403).ExpectBody(`{"error":{"statusCode":403,"name":"ForbiddenError","message":"Access denied"}}`)
	ann.Get("/notes/99").Expect(404)
	ann.Patch("/notes/2", map[string]any{"title": "mine now"}).Expect(403)
	ann.Delete("/notes/4").Expect(403)
	ann.Patch("/notes?where="+url.QueryEscape(`{"title":{"neq":"zzz"}}`), map[string]any{"title": "x"}).Expect(200).ExpectBody(`{"count":2}`)
	got, _ := json.Marshal(titles(t, bob.Get("/notes")))
	if string(got) != `["b1","b2"]` {
		t.Errorf("bob's notes after ann's updates: got %s; want untouched", got)
	}
	bob.Delete("/notes/4").Expect(204)
	c.Get("/notes").Expect(401)
}
