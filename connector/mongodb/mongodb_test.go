package mongodb_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Note has an ObjectId id, LoopBack's default on MongoDB.
type Note struct {
	ID     string `json:"id" lb:"id,generated"`
	Title  string `json:"title" required:"true"`
	ListID string `json:"listId,omitempty"`
}

var hex24 = regexp.MustCompile(`^[0-9a-f]{24}$`)

// TestObjectIDOverHTTP serves a model with an ObjectId id through the
// CRUD REST API: ids are 24-digit hex strings on the wire, found by id
// and by filters; an id that is no ObjectId is a 404.
func TestObjectIDOverHTTP(t *testing.T) {
	ctx := context.Background()
	c := open(t, testDB(t))
	repo := repository.MustNew[Note, string](c)
	srv := rest.New(rest.Config{})
	if err := crud.Mount(srv, repo, crud.Options{}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, method, ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var ids []string
	for _, title := range []string{"one", "two"} {
		code, body := do("POST", "/notes", `{"title":"`+title+`","listId":"5f1d7a0b9c1e4a2b3c4d5e6f"}`)
		var got map[string]any
		if err := json.Unmarshal([]byte(body), &got); code != 200 || err != nil {
			t.Fatalf("POST: got %d %s", code, body)
		}
		id, _ := got["id"].(string)
		if !hex24.MatchString(id) {
			t.Fatalf("POST: got id %v; want a 24-digit hex string", got["id"])
		}
		ids = append(ids, id)
	}
	if code, body := do("GET", "/notes/"+ids[1], ""); code != 200 || body != `{"id":"`+ids[1]+`","title":"two","listId":"5f1d7a0b9c1e4a2b3c4d5e6f"}` {
		t.Errorf("GET by id: got %d %s", code, body)
	}
	for _, id := range []string{"not-an-objectid", "000000000000000000000000"} {
		if code, body := do("GET", "/notes/"+id, ""); code != 404 || !strings.Contains(body, "ENTITY_NOT_FOUND") {
			t.Errorf("GET /notes/%s: got %d %s; want 404 ENTITY_NOT_FOUND", id, code, body)
		}
	}
	if code, body := do("GET", `/notes?filter={"where":{"id":{"inq":["`+ids[0]+`","nope"]}}}`, ""); code != 200 || !strings.Contains(body, ids[0]) || strings.Contains(body, ids[1]) {
		t.Errorf("GET with inq on ids: got %d %s", code, body)
	}
	if code, body := do("GET", `/notes/count?where={"listId":"5f1d7a0b9c1e4a2b3c4d5e6f"}`, ""); code != 200 || body != `{"count":2}` {
		t.Errorf("count by a hex foreign key: got %d %s", code, body)
	}
	if code, _ := do("PATCH", "/notes/"+ids[0], `{"title":"uno"}`); code != 204 {
		t.Errorf("PATCH: got %d", code)
	}
	if code, _ := do("DELETE", "/notes/"+ids[1], ""); code != 204 {
		t.Errorf("DELETE: got %d", code)
	}
	if code, body := do("GET", "/notes", ""); code != 200 || body != `[{"id":"`+ids[0]+`","title":"uno","listId":"5f1d7a0b9c1e4a2b3c4d5e6f"}]` {
		t.Errorf("GET after the writes: got %d %s", code, body)
	}
	// The id is an ObjectId in the database.
	var raw bson.M
	if err := c.Client().Database(c.Database()).Collection("Note").FindOne(ctx, bson.D{}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["_id"].(bson.ObjectID); !ok {
		t.Errorf("stored _id: got %T; want an ObjectId", raw["_id"])
	}
}

// TestNamesAndIndexes checks the collection and field-name settings and
// the indexes Autoupdate creates from a definition.
func TestNamesAndIndexes(t *testing.T) {
	ctx := context.Background()
	c := open(t, testDB(t))
	def := &model.Definition{
		Name: "Account",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "email", Type: model.String, Unique: true, Connector: map[string]map[string]any{"mongodb": {"fieldName": "mail"}}},
			{Name: "region", Type: model.String, Index: true},
			{Name: "team", Type: model.String},
			{Name: "joined", Type: model.Date},
		},
		Settings: model.Settings{
			Connector: map[string]map[string]any{"mongodb": {"collection": "accounts"}},
			Indexes:   []model.Index{{Name: "team_region", Columns: []string{"team", "region"}, Unique: true}},
		},
	}
	if err := c.Autoupdate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	if err := c.Autoupdate(ctx, []*model.Definition{def}); err != nil {
		t.Fatalf("second Autoupdate: %v", err)
	}
	coll := c.Client().Database(c.Database()).Collection("accounts")
	cur, err := coll.Indexes().List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var specs []bson.M
	if err := cur.All(ctx, &specs); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range specs {
		keys, _ := bson.Marshal(s["key"])
		var kd bson.D
		_ = bson.Unmarshal(keys, &kd)
		var names []string
		for _, e := range kd {
			names = append(names, e.Key)
		}
		unique, _ := s["unique"].(bool)
		got[s["name"].(string)] = strings.Join(names, ",") + map[bool]string{true: " unique", false: ""}[unique]
	}
	want := map[string]string{"_id_": "_id", "mail_1": "mail unique", "region_1": "region", "team_region": "team,region unique"}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("index %s: got %q; want %q (all: %v)", name, got[name], w, got)
		}
	}

	r, err := repository.NewModel(c, def)
	if err != nil {
		t.Fatal(err)
	}
	joined := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	if _, err := r.Create(ctx, connector.Record{"email": "a@x.io", "region": "eu", "team": "red", "joined": joined}); err != nil {
		t.Fatal(err)
	}
	var raw bson.M
	if err := coll.FindOne(ctx, bson.D{}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if raw["mail"] != "a@x.io" || raw["_id"] != int64(1) || raw["joined"] != bson.NewDateTimeFromTime(joined) {
		t.Errorf("stored document: got %v; want mail, an int64 _id 1 and a BSON date", raw)
	}
	got2, err := r.Find(ctx, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "email", Op: filter.Like, Value: "a@%"}}}})
	if err != nil || len(got2) != 1 || got2[0]["email"] != "a@x.io" {
		t.Errorf("find by a renamed field: got (%v, %v)", got2, err)
	}
	_, err = r.Create(ctx, connector.Record{"email": "b@x.io", "region": "eu", "team": "red"})
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Kind != fault.Conflict || fe.Message != "Duplicate entry for Account.team" {
		t.Errorf("duplicate of a composite unique index: got %v; want the conflict of Account.team", err)
	}
	_, err = r.Create(ctx, connector.Record{"email": "a@x.io"})
	if !errors.As(err, &fe) || fe.Kind != fault.Conflict || fe.Message != "Duplicate entry for Account.email" {
		t.Errorf("duplicate email: got %v; want the conflict of Account.email", err)
	}
}

// TestDiscover infers a model from a sample of a collection's documents.
func TestDiscover(t *testing.T) {
	ctx := context.Background()
	c := open(t, testDB(t))
	coll := c.Client().Database(c.Database()).Collection("legacy")
	docs := []any{
		bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "name", Value: "a"}, {Key: "n", Value: int32(1)},
			{Key: "score", Value: 1.5}, {Key: "at", Value: bson.NewDateTimeFromTime(time.Now())}, {Key: "mixed", Value: "x"},
			{Key: "tags", Value: bson.A{"t"}}, {Key: "addr", Value: bson.D{{Key: "city", Value: "Paris"}}}},
		bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "name", Value: "b"}, {Key: "n", Value: int64(2)},
			{Key: "score", Value: 2.0}, {Key: "mixed", Value: int32(3)}, {Key: "ok", Value: true}, {Key: "blob", Value: bson.Binary{Data: []byte{1}}}},
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	infos, err := c.DiscoverModels(ctx, connector.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(infos, func(i connector.ModelInfo) bool { return i.Name == "legacy" && i.Type == "table" }) {
		t.Errorf("DiscoverModels: got %v; want legacy", infos)
	}
	def, err := c.DiscoverDefinition(ctx, "legacy", connector.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range def.Properties {
		s := string(p.Type)
		if p.Integer {
			s += " integer"
		}
		if p.ID > 0 {
			s += " id"
		}
		got[p.Name] = s
	}
	want := map[string]string{"id": "string id", "name": "string", "n": "number integer", "score": "number", "at": "date",
		"mixed": "any", "tags": "array", "addr": "object", "ok": "boolean", "blob": "buffer"}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("property %s: got %q; want %q", name, got[name], w)
		}
	}
	// The discovered definition reads the collection.
	r, err := repository.NewModel(c, def)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.Count(ctx, nil); err != nil || n != 2 {
		t.Errorf("Count through the discovered model: got (%d, %v); want 2", n, err)
	}
	if _, err := c.DiscoverDefinition(ctx, "missing", connector.DiscoverOptions{}); err == nil {
		t.Error("DiscoverDefinition of a missing collection: got nil error")
	}
}

// TestNoTransactions checks that transactions are absent: the repository
// answers 501 and writes nothing.
func TestNoTransactions(t *testing.T) {
	ctx := context.Background()
	c := open(t, testDB(t))
	if _, ok := any(c).(connector.Transactor); ok {
		t.Fatal("the connector implements connector.Transactor; want transactions absent")
	}
	repo := repository.MustNew[Note, string](c)
	err := repository.Transact(ctx, c, connector.TxOptions{}, func(ctx context.Context) error {
		_, err := repo.Create(ctx, &Note{Title: "never"})
		return err
	})
	if !errors.Is(err, fault.NotImplemented) {
		t.Errorf("Transact: got %v; want a 501", err)
	}
	if n, err := repo.Count(ctx, nil); err != nil || n != 0 {
		t.Errorf("after a refused transaction: got (%d, %v); want 0", n, err)
	}
}
