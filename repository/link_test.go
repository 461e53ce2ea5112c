package repository_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/repository"
)

func TestLinkUnlink(t *testing.T) {
	ctx := context.Background()
	repos := relationModels(t)
	patients, err := repos["Doctor"].Related("patients")
	if err != nil {
		t.Fatal(err)
	}
	names := func(doctor int64) []string {
		t.Helper()
		got, err := patients.Find(ctx, doctor, nil)
		if err != nil {
			t.Fatal(err)
		}
		return titles(anyList(got))
	}
	kind := func(err error) any {
		var fe *fault.Error
		if errors.As(err, &fe) {
			return fe.Kind
		}
		return err
	}
	// Doctor 2 sees p2; link p1 with through data.
	link, err := patients.Link(ctx, int64(2), int64(1), connector.Record{"id": nil})
	if err != nil {
		t.Fatalf("Link: %v", err)
	}
	if link["doctorId"] != int64(2) && link["doctorId"] != 2.0 {
		t.Errorf("Link: through instance %v; want doctorId 2", link)
	}
	if got := names(2); !reflect.DeepEqual(got, []string{"p1", "p2"}) {
		t.Errorf("after Link: got %v; want [p1 p2]", got)
	}
	if _, err := patients.Link(ctx, int64(2), int64(1), nil); kind(err) != fault.Conflict {
		t.Errorf("Link twice: got %v; want a fault.Conflict", err)
	}
	if _, err := patients.Link(ctx, int64(2), int64(99), nil); kind(err) != fault.NotFound {
		t.Errorf("Link a missing patient: got %v; want a fault.NotFound", err)
	}
	if _, err := patients.Link(ctx, int64(99), int64(1), nil); kind(err) != fault.NotFound {
		t.Errorf("Link from a missing doctor: got %v; want a fault.NotFound", err)
	}
	if n, err := patients.Unlink(ctx, int64(2), int64(2)); err != nil || n != 1 {
		t.Errorf("Unlink: got %d, %v; want 1", n, err)
	}
	if got := names(2); !reflect.DeepEqual(got, []string{"p1"}) {
		t.Errorf("after Unlink: got %v; want [p1]", got)
	}
	if n, _ := repos["Patient"].Count(ctx, nil); n != 3 {
		t.Errorf("Unlink deleted a patient: %d left; want 3", n)
	}
	if n, err := patients.UnlinkAll(ctx, int64(1)); err != nil || n != 2 {
		t.Errorf("UnlinkAll: got %d, %v; want 2", n, err)
	}
	if got := names(1); len(got) != 0 {
		t.Errorf("after UnlinkAll: got %v; want none", got)
	}
	// Create with through data.
	if _, err := patients.CreateWith(ctx, int64(1), connector.Record{"name": "p9"}, connector.Record{"id": int64(100)}); err != nil {
		t.Fatalf("CreateWith: %v", err)
	}
	if got, _ := repos["Appointment"].FindByID(ctx, int64(100), nil); got == nil || got["doctorId"] == nil {
		t.Errorf("CreateWith: through instance 100 is %v; want it linking doctor 1", got)
	}
	todos, _ := repos["TodoList"].Related("todos")
	if _, err := todos.Link(ctx, int64(1), int64(2), nil); kind(err) != fault.BadRequest {
		t.Errorf("Link on hasMany: got %v; want a fault.BadRequest", err)
	}
	if _, err := todos.CreateWith(ctx, int64(1), connector.Record{"title": "x"}, connector.Record{"a": 1}); kind(err) != fault.BadRequest {
		t.Errorf("CreateWith through data on hasMany: got %v; want a fault.BadRequest", err)
	}
}

type linkDoctor struct {
	_        struct{}      `lb:"name=LinkDoctor"`
	ID       int64         `json:"id" lb:"id,generated"`
	Name     string        `json:"name"`
	Patients []linkPatient `json:"patients,omitempty" lb:"hasManyThrough,target=LinkPatient,through=LinkVisit"`
}

type linkPatient struct {
	_    struct{} `lb:"name=LinkPatient"`
	ID   int64    `json:"id" lb:"id,generated"`
	Name string   `json:"name"`
}

type linkVisit struct {
	_             struct{} `lb:"name=LinkVisit"`
	ID            int64    `json:"id" lb:"id,generated"`
	LinkDoctorID  int64    `json:"linkDoctorId"`
	LinkPatientID int64    `json:"linkPatientId"`
	Room          string   `json:"room,omitempty"`
}

func TestLinkTyped(t *testing.T) {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	defer conn.Close()
	doctors := repository.MustNew[linkDoctor, int64](conn)
	patients := repository.MustNew[linkPatient, int64](conn)
	visits := repository.MustNew[linkVisit, int64](conn)
	var reg repository.Registry
	if err := reg.Add(doctors.Model(), patients.Model(), visits.Model()); err != nil {
		t.Fatal(err)
	}
	d, _ := doctors.Create(ctx, &linkDoctor{Name: "house"})
	p, _ := patients.Create(ctx, &linkPatient{Name: "p1"})
	rel, err := repository.RelatedTo[linkPatient](doctors.Model(), "patients")
	if err != nil {
		t.Fatal(err)
	}
	if err := rel.Link(ctx, d.ID, p.ID, repository.Patch{"room": "4b"}); err != nil {
		t.Fatalf("Link: %v", err)
	}
	got, err := rel.Find(ctx, d.ID, nil)
	if err != nil || len(got) != 1 || got[0].Name != "p1" {
		t.Errorf("Find after Link: got %v, %v; want [p1]", got, err)
	}
	if vs, _ := visits.Find(ctx, nil); len(vs) != 1 || vs[0].Room != "4b" {
		t.Errorf("through instances: got %+v; want one in room 4b", vs)
	}
	if n, err := rel.Unlink(ctx, d.ID, p.ID); err != nil || n != 1 {
		t.Errorf("Unlink: got %d, %v; want 1", n, err)
	}
	if n, err := rel.UnlinkAll(ctx, d.ID); err != nil || n != 0 {
		t.Errorf("UnlinkAll with nothing linked: got %d, %v; want 0", n, err)
	}
}
