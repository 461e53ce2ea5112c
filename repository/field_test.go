package repository_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

// Stamps is embedded in Event: its fields are Event's properties.
type Stamps struct {
	Created time.Time `json:"created"`
}

type Event struct {
	ID int64 `json:"id" lb:"id,generated"`
	Stamps
	Name   string  `json:"name"`
	Score  float64 `json:"score,omitempty"`
	Seen   *bool   `json:"seen,omitempty"`
	Secret string  `json:"-"`
	Place  Place   `json:"place"`
}

// Place is a nested object.
type Place struct {
	City string `json:"city"`
}

func TestFieldOf(t *testing.T) {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	events := repository.MustNew[Event, int64](conn)
	name := repository.MustFieldOf(events, func(e *Event) *string { return &e.Name })
	created := repository.MustFieldOf(events, func(e *Event) *time.Time { return &e.Created })
	score := repository.MustFieldOf(events, func(e *Event) *float64 { return &e.Score })
	seen := repository.MustFieldOf(events, func(e *Event) **bool { return &e.Seen })
	id := repository.MustFieldOf(events, func(e *Event) *int64 { return &e.ID })
	for _, tt := range []struct{ got, want string }{
		{name.Name(), "name"}, {created.Name(), "created"}, {score.Name(), "score"}, {seen.Name(), "seen"}, {id.Name(), "id"},
		{name.Asc(), "name ASC"}, {score.Desc(), "score DESC"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q; want %q", tt.got, tt.want)
		}
	}

	day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	yes := true
	for i, n := range []string{"a", "b", "c", "d"} {
		e := Event{Name: n, Score: float64(i), Stamps: Stamps{Created: day.AddDate(0, 0, i)}}
		if i%2 == 0 {
			e.Seen = &yes
		}
		if _, err := events.Create(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		w    *filter.Where
		want string
	}{
		{"eq", name.Eq("b"), "b"},
		{"neq", name.Neq("b"), "a c d"},
		{"inq", name.Inq("a", "d", "z"), "a d"},
		{"nin", name.Nin("a", "d"), "b c"},
		{"gt time", created.Gt(day.AddDate(0, 0, 1)), "c d"},
		{"between", score.Between(1, 2), "b c"},
		{"lte", score.Lte(1), "b"}, // a's score 0 is omitted, so absent
		{"pointer eq", seen.Eq(&yes), "a c"},
		{"pointer nil", seen.Eq(nil), "b d"},
		{"id gte", id.Gte(3), "c d"},
		{"and", filter.And(seen.Eq(&yes), score.Gt(0)), "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := events.Find(ctx, &filter.Filter{Where: tt.w})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range got {
				names = append(names, e.Name)
			}
			if s := strings.Join(names, " "); s != tt.want {
				t.Errorf("got %q; want %q", s, tt.want)
			}
		})
	}

	// Pattern operators pass the pattern on as is (its language is the
	// connector's).
	for _, w := range []*filter.Where{name.Like("x%"), name.Nlike("x%"), name.Ilike("x%"), name.Regexp("^x")} {
		if c := w.Conds[0]; c.Path != "name" || len(w.Conds) != 1 {
			t.Errorf("pattern condition: got %+v; want one on name", w)
		}
	}
	if err := events.UpdateByID(ctx, 2, score.Set(name.Set(nil, "B"), 9.5)); err != nil {
		t.Fatal(err)
	}
	if e, err := events.FindByID(ctx, 2, nil); err != nil || e.Name != "B" || e.Score != 9.5 {
		t.Errorf("after Set: got %+v, %v; want name B, score 9.5", e, err)
	}
}

func TestFieldOfErrors(t *testing.T) {
	conn, _ := memory.New(memory.Config{})
	events := repository.MustNew[Event, int64](conn)
	outside := new(Event)
	tests := []struct {
		name string
		get  func() error
		want string
	}{
		{"ignored field", func() error {
			_, err := repository.FieldOf(events, func(e *Event) *string { return &e.Secret })
			return err
		}, "not a property of the model"},
		{"nested field", func() error {
			_, err := repository.FieldOf(events, func(e *Event) *string { return &e.Place.City })
			return err
		}, "not a property of the model"},
		{"not the argument's field", func() error {
			_, err := repository.FieldOf(events, func(e *Event) *string { return &outside.Name })
			return err
		}, "field"},
		{"nil", func() error {
			_, err := repository.FieldOf(events, func(e *Event) *string { return nil })
			return err
		}, "returned nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.get(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v; want an error containing %q", err, tt.want)
			}
		})
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustFieldOf on an ignored field did not panic")
		}
	}()
	repository.MustFieldOf(events, func(e *Event) *string { return &e.Secret })
}
