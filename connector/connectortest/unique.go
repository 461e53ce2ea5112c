package connectortest

import (
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

const userModel = "User"

// userDef has a unique email.
func (s *suite) userDef() *model.Definition {
	return &model.Definition{
		Name: s.n(userModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "email", Type: model.String, Unique: true, Nullable: true},
			{Name: "name", Type: model.String},
		},
	}
}

func (s *suite) testUnique(t *testing.T) {
	e := s.setup(t, s.userDef())
	r := e.repo(s.userDef())
	for _, rec := range []connector.Record{
		{"email": "a@example.com", "name": "a"}, {"email": "b@example.com", "name": "b"},
		{"email": nil, "name": "null 1"}, {"email": nil, "name": "null 2"},
	} {
		if _, err := r.Create(e.ctx, rec); err != nil {
			t.Fatalf("Create %v: %v", rec, err)
		}
	}
	_, err := r.Create(e.ctx, connector.Record{"email": "a@example.com", "name": "dup"})
	wantFault(t, err, fault.Conflict)
	wantFault(t, r.UpdateByID(e.ctx, int64(2), connector.Record{"email": "a@example.com"}), fault.Conflict)
	wantFault(t, r.ReplaceByID(e.ctx, int64(2), connector.Record{"email": "a@example.com", "name": "b"}), fault.Conflict)
	_, err = r.UpdateAll(e.ctx, connector.Record{"email": "same@example.com"}, nil)
	wantFault(t, err, fault.Conflict)
	// Nothing changed.
	got, err := r.Find(e.ctx, &filter.Filter{Order: []filter.Order{{Property: "id"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"a@example.com", "b@example.com", nil, nil}
	if len(got) != len(want) {
		t.Fatalf("got %d users; want %d", len(got), len(want))
	}
	for i, u := range got {
		if u["email"] != want[i] {
			t.Errorf("user %d: got email %v; want %v", i+1, u["email"], want[i])
		}
	}
	// Changing a value to a free one works.
	if err := r.UpdateByID(e.ctx, int64(2), connector.Record{"email": "c@example.com"}); err != nil {
		t.Errorf("UpdateByID to a free email: %v", err)
	}
}
