package connectortest

import (
	"errors"
	"slices"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// The models of the integrity section: a folder holds documents (deleted
// with it), labels (unlabelled when it goes) and locks (which keep it
// from being deleted) and notes (no onDelete: left as they are, as in
// LoopBack); a document has pages (deleted with it).
const (
	folderModel = "Folder"
	docModel    = "Doc"
	pageModel   = "Page"
	labelModel  = "Label"
	lockModel   = "Lock"
	fnoteModel  = "FolderNote"
)

func (s *suite) integrityDefs() []*model.Definition {
	id := func() *model.Property {
		return &model.Property{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true}
	}
	child := func(base, parent, fk string, action model.OnDelete) *model.Definition {
		return &model.Definition{
			Name: s.n(base),
			Properties: []*model.Property{id(),
				{Name: "name", Type: model.String},
				{Name: fk, Type: model.Number, Integer: true, Nullable: true}},
			Relations: []*model.Relation{{Name: "parent", Type: model.BelongsTo, Target: s.n(parent), ForeignKey: fk, KeyFrom: fk, OnDelete: action}},
		}
	}
	folder := &model.Definition{Name: s.n(folderModel), Properties: []*model.Property{id(), {Name: "name", Type: model.String}}}
	return []*model.Definition{folder,
		child(docModel, folderModel, "folderId", model.Cascade),
		child(pageModel, docModel, "docId", model.Cascade),
		child(labelModel, folderModel, "folderId", model.SetNull),
		child(lockModel, folderModel, "folderId", model.Restrict),
		child(fnoteModel, folderModel, "folderId", ""),
	}
}

// testIntegrity checks the onDelete actions of belongsTo relations:
// cascade (at two levels), setNull and restrict, which refuses with a
// 409 FOREIGN_KEY_VIOLATION and changes nothing; and that without an
// action the parent is deleted and its children keep their foreign key
// (LoopBack's behaviour; no SQL constraint refuses it).
func (s *suite) testIntegrity(t *testing.T) {
	defs := s.integrityDefs()
	e := s.setup(t, defs...)
	repos := make([]*repository.Model, len(defs))
	for i, d := range defs {
		repos[i] = e.repo(d)
	}
	var reg repository.Registry
	if err := reg.Add(repos...); err != nil {
		t.Fatal(err)
	}
	folders, docs, pages, labels, locks, notes := repos[0], repos[1], repos[2], repos[3], repos[4], repos[5]
	create := func(m *repository.Model, recs ...connector.Record) {
		t.Helper()
		for _, r := range recs {
			if _, err := m.Create(e.ctx, r); err != nil {
				t.Fatalf("create %s %v: %v", m.Definition().Name, r, err)
			}
		}
	}
	create(folders, connector.Record{"name": "f1"}, connector.Record{"name": "f2"})
	create(docs, connector.Record{"name": "a", "folderId": int64(1)}, connector.Record{"name": "b", "folderId": int64(1)},
		connector.Record{"name": "c", "folderId": int64(2)})
	create(pages, connector.Record{"name": "a1", "docId": int64(1)}, connector.Record{"name": "b1", "docId": int64(2)},
		connector.Record{"name": "c1", "docId": int64(3)})
	create(labels, connector.Record{"name": "l1", "folderId": int64(1)}, connector.Record{"name": "l2", "folderId": int64(2)})
	create(locks, connector.Record{"name": "k2", "folderId": int64(2)})
	create(notes, connector.Record{"name": "n1", "folderId": int64(1)}, connector.Record{"name": "n2", "folderId": int64(2)})

	names := func(m *repository.Model) []string {
		t.Helper()
		recs, err := m.Find(e.ctx, &filter.Filter{Order: []filter.Order{{Property: "id"}}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range recs {
			n, _ := r["name"].(string)
			if fk, ok := r["folderId"]; ok && fk == nil {
				n += "(null)"
			}
			out = append(out, n)
		}
		return out
	}
	expect := func(step string, m *repository.Model, want ...string) {
		t.Helper()
		if got := names(m); !slices.Equal(got, want) {
			t.Errorf("%s: %s: got %v; want %v", step, m.Definition().Name, got, want)
		}
	}

	// cascade to docs and their pages, setNull on labels.
	if err := folders.DeleteByID(e.ctx, int64(1)); err != nil {
		t.Fatalf("delete folder 1: %v", err)
	}
	expect("delete folder 1", folders, "f2")
	expect("delete folder 1", docs, "c")
	expect("delete folder 1", pages, "c1")
	expect("delete folder 1", labels, "l1(null)", "l2")
	expect("delete folder 1", notes, "n1", "n2")
	if n, err := notes.Count(e.ctx, where("folderId", filter.Eq, int64(1))); err != nil || n != 1 {
		t.Errorf("delete folder 1: notes still referring to it: got %d, %v; want 1 (no onDelete: left as they are)", n, err)
	}

	// restrict: refused, and nothing changed.
	err := folders.DeleteByID(e.ctx, int64(2))
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Kind != fault.Conflict || fe.Code != "FOREIGN_KEY_VIOLATION" {
		t.Fatalf("delete a folder a lock refers to: got %v; want a fault.Conflict FOREIGN_KEY_VIOLATION", err)
	}
	_, err = folders.DeleteAll(e.ctx, nil)
	if !errors.As(err, &fe) || fe.Code != "FOREIGN_KEY_VIOLATION" {
		t.Fatalf("delete all folders while a lock refers to one: got %v; want FOREIGN_KEY_VIOLATION", err)
	}
	expect("refused delete", folders, "f2")
	expect("refused delete", docs, "c")
	expect("refused delete", pages, "c1")
	expect("refused delete", labels, "l1(null)", "l2")

	// Without the lock, DeleteAll cascades too.
	if _, err := locks.DeleteAll(e.ctx, nil); err != nil {
		t.Fatal(err)
	}
	n, err := folders.DeleteAll(e.ctx, nil)
	if err != nil || n != 1 {
		t.Fatalf("delete all folders: got %d, %v; want 1", n, err)
	}
	expect("delete all", docs)
	expect("delete all", pages)
	expect("delete all", labels, "l1(null)", "l2(null)")
	expect("delete all", notes, "n1", "n2")
}
