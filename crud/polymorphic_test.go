package crud_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// TestPolymorphicEndpoints checks the endpoints of polymorphic hasOne and
// hasManyThrough relations: GET reads the instances in the models the
// discriminators name (and inclusion does), and no write endpoint is
// mounted (the concrete models' own APIs write them).
func TestPolymorphicEndpoints(t *testing.T) {
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var reg repository.Registry
	s := rest.New(rest.Config{})
	var repos []*repository.Model
	for _, src := range []string{
		`{"name":"Deliverable","properties":{"id":{"type":"number","id":true,"generated":true},"name":"string","shipmentId":"number"}}`,
		`{"name":"Letter","base":"Deliverable","properties":{"id":{"type":"number","id":true,"generated":true},"name":"string","shipmentId":"number"}}`,
		`{"name":"Parcel","base":"Deliverable","properties":{"id":{"type":"number","id":true,"generated":true},"name":"string","shipmentId":"number","size":"string"}}`,
		`{"name":"Shipment","properties":{"id":{"type":"number","id":true,"generated":true},"deliverableType":"string"},
		  "relations":{"deliverable":{"type":"hasOne","model":"Deliverable","foreignKey":"shipmentId","polymorphic":true}}}`,
		`{"name":"CourierItem","properties":{"id":{"type":"number","id":true,"generated":true},"courierId":"number","deliverableId":"number","deliverableType":"string"}}`,
		`{"name":"Courier","properties":{"id":{"type":"number","id":true,"generated":true}},
		  "relations":{"deliverables":{"type":"hasManyThrough","model":"Deliverable","through":{"model":"CourierItem","keyTo":"deliverableId","polymorphic":{"discriminator":"deliverableType"}}}}}`,
	} {
		def, err := model.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		repo, err := repository.NewModel(conn, def)
		if err != nil {
			t.Fatal(err)
		}
		repos = append(repos, repo)
	}
	if err := reg.Add(repos...); err != nil {
		t.Fatal(err)
	}
	for _, repo := range repos {
		if err := crud.MountModel(s, repo, crud.Options{}); err != nil {
			t.Fatalf("Mount %s: %v", repo.Definition().Name, err)
		}
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, st := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/shipments", `{"deliverableType":"Parcel"}`, 200, `{"id":1,"deliverableType":"Parcel"}`},
		{"POST", "/letters", `{"name":"l1","shipmentId":1}`, 200, `{"id":1,"name":"l1","shipmentId":1}`},
		{"POST", "/parcels", `{"name":"p1","shipmentId":1,"size":"XL"}`, 200, `{"id":1,"name":"p1","shipmentId":1,"size":"XL"}`},
		{"GET", "/shipments/1/deliverable", "", 200, `{"id":1,"name":"p1","shipmentId":1,"size":"XL"}`},
		{"GET", `/shipments/1/deliverable?filter={"fields":["name"]}`, "", 200, `{"name":"p1"}`},
		{"GET", `/shipments?filter={"include":["deliverable"]}`, "", 200, `[{"id":1,"deliverableType":"Parcel","deliverable":{"id":1,"name":"p1","shipmentId":1,"size":"XL"}}]`},
		{"POST", "/shipments/1/deliverable", `{"name":"x"}`, 404, `~Endpoint \"POST /shipments/1/deliverable\" not found`},
		{"POST", "/couriers", `{}`, 200, `{"id":1}`},
		{"POST", "/courier-items", `{"courierId":1,"deliverableId":1,"deliverableType":"Parcel"}`, 200, "~"},
		{"POST", "/courier-items", `{"courierId":1,"deliverableId":1,"deliverableType":"Letter"}`, 200, "~"},
		{"GET", "/couriers/1/deliverables", "", 200, `[{"id":1,"name":"p1","shipmentId":1,"size":"XL"},{"id":1,"name":"l1","shipmentId":1}]`},
		{"DELETE", "/couriers/1/deliverables", "", 404, "~not found"},
		{"GET", "/letters/count", "", 200, `{"count":1}`},
	} {
		path := strings.NewReplacer(`{`, "%7B", `}`, "%7D", `"`, "%22", ` `, "%20").Replace(st.path)
		status, body := call(t, ts, st.method, path, st.body)
		switch {
		case status != st.status:
			t.Errorf("%s %s: got %d %s; want %d", st.method, st.path, status, body, st.status)
		case strings.HasPrefix(st.want, "~"):
			if !strings.Contains(body, st.want[1:]) {
				t.Errorf("%s %s: got %.300s; want it to contain %s", st.method, st.path, body, st.want[1:])
			}
		case body != st.want:
			t.Errorf("%s %s: got %s; want %s", st.method, st.path, body, st.want)
		}
	}
}
