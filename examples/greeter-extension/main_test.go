package main

import (
	"strings"
	"testing"

	"github.com/loopback-go/lb/di"
)

func TestRun(t *testing.T) {
	var sb strings.Builder
	if err := run(&sb, "Raymond"); err != nil {
		t.Fatal(err)
	}
	want := "English: Hello, Raymond!\nChinese: Raymond，你好！\n"
	if got := sb.String(); got != want {
		t.Errorf("output =\n%s\nwant\n%s", got, want)
	}
}

type frenchGreeter struct{}

func (frenchGreeter) Language() string         { return "fr" }
func (frenchGreeter) Greet(name string) string { return "Bonjour, " + name + " !" }

func TestGreetingService(t *testing.T) {
	app := di.NewContainer(nil, "application", di.Application)
	Register(app)
	di.Configure[ChineseOptions](app, ChineseGreeterKey).To(ChineseOptions{GreetingFirst: true})
	svc := di.MustGet(app, GreetingServiceKey)
	if again := di.MustGet(app, GreetingServiceKey); again != svc {
		t.Error("the greeting service is not a singleton")
	}
	tests := []struct {
		lang, want string
	}{
		{"en", "Hello, Ann!"},
		{"zh", "你好，Ann！"},
		{"fr", "Hello, Ann!"}, // no French greeter yet: English
	}
	for _, tt := range tests {
		got, err := svc.Greet(tt.lang, "Ann")
		if err != nil || got != tt.want {
			t.Errorf("Greet(%s) = %q, %v; want %q", tt.lang, got, err, tt.want)
		}
	}
	// An extension bound after the service was built is seen.
	di.AddExtension(app, GreeterPoint, GreeterPoint.Key("fr")).To(frenchGreeter{})
	if got, _ := svc.Greet("fr", "Ann"); got != "Bonjour, Ann !" {
		t.Errorf("Greet(fr) after binding a French greeter = %q; want Bonjour, Ann !", got)
	}
	// And one unbound is gone.
	app.Unbind(ChineseGreeterKey)
	if got, _ := svc.Greet("zh", "Ann"); got != "Hello, Ann!" {
		t.Errorf("Greet(zh) after unbinding = %q; want the English fallback", got)
	}
	if n := len(app.FindByTag(GreeterPoint.Tag())); n != 1 {
		t.Errorf("extension points tagged = %d; want 1", n)
	}
}
