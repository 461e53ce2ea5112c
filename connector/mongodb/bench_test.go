package mongodb_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// BenchTodo is the model of the benchmarks, with a MongoDB ObjectId id.
type BenchTodo struct {
	ID         string `json:"id" lb:"id,generated"`
	Title      string `json:"title"`
	Desc       string `json:"desc,omitempty"`
	IsComplete bool   `json:"isComplete"`
	Grp        int64  `json:"grp"`
}

// benchDoc is the same instance as hand-written driver code reads it.
type benchDoc struct {
	ID         bson.ObjectID `bson:"_id,omitempty"`
	Title      string        `bson:"title"`
	Desc       string        `bson:"desc,omitempty"`
	IsComplete bool          `bson:"isComplete"`
	Grp        int64         `bson:"grp"`
}

// BenchmarkRepository compares the typed repository on the connector
// with the same operations written by hand with the driver, on one
// collection of 200 documents in groups of 10: findById, find 10 (one
// group, in id order) and create.
func BenchmarkRepository(b *testing.B) {
	ctx := context.Background()
	c := open(b, testDB(b))
	def := model.MustFromStruct[BenchTodo]()
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		b.Fatal(err)
	}
	repo := repository.MustNew[BenchTodo, string](c)
	coll := c.Client().Database(c.Database()).Collection(def.Name)
	var ids []string
	for i := range 200 {
		t, err := repo.Create(ctx, &BenchTodo{Title: fmt.Sprint("todo ", i), Desc: "bench", Grp: int64(i / 10)})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, t.ID)
	}
	oids := make([]bson.ObjectID, len(ids))
	for i, id := range ids {
		oids[i], _ = bson.ObjectIDFromHex(id)
	}
	if _, err := coll.Indexes().CreateOne(ctx, mongoIndex("grp")); err != nil {
		b.Fatal(err)
	}
	// Warm the server up (its storage settles after the inserts), so
	// that the first sub-benchmark is not the one paying for it.
	for i := range 50 {
		if _, err := coll.CountDocuments(ctx, bson.D{{Key: "grp", Value: int64(i % 20)}}); err != nil {
			b.Fatal(err)
		}
	}

	b.Run("findById/repository", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := repo.FindByID(ctx, ids[i%len(ids)], nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("findById/driver", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			var d benchDoc
			if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: oids[i%len(oids)]}}).Decode(&d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("find10/repository", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			got, err := repo.Find(ctx, filter.New().Where(filter.Prop("grp").Eq(int64(i%20))).Filter())
			if err != nil || len(got) != 10 {
				b.Fatalf("got %d, %v", len(got), err)
			}
		}
	})
	b.Run("find10/driver", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			cur, err := coll.Find(ctx, bson.D{{Key: "grp", Value: int64(i % 20)}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
			if err != nil {
				b.Fatal(err)
			}
			var got []benchDoc
			if err := cur.All(ctx, &got); err != nil || len(got) != 10 {
				b.Fatalf("got %d, %v", len(got), err)
			}
		}
	})
	b.Run("create/repository", func(b *testing.B) {
		for b.Loop() {
			if _, err := repo.Create(ctx, &BenchTodo{Title: "new", Desc: "bench", Grp: 1000}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("create/driver", func(b *testing.B) {
		for b.Loop() {
			d := benchDoc{ID: bson.NewObjectID(), Title: "new", Desc: "bench", Grp: 1000}
			if _, err := coll.InsertOne(ctx, &d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func mongoIndex(field string) mongo.IndexModel {
	return mongo.IndexModel{Keys: bson.D{{Key: field, Value: 1}}}
}
