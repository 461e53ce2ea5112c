package main

import (
	"fmt"

	"github.com/loopback-go/lb/di"
)

// GreeterPoint is the name of the extension point greeters extend: every
// binding tagged "extensionFor=greeters" is a greeter.
var GreeterPoint = di.NewExtensionPoint[Greeter]("greeters")

// Greeter is the contract of the greeters extension point: a greeter speaks
// one language.
type Greeter interface {
	// Language returns the greeter's language code, e.g. "en".
	Language() string
	// Greet returns a greeting for name.
	Greet(name string) string
}

// EnglishGreeter greets in English.
type EnglishGreeter struct{}

// Language returns "en".
func (EnglishGreeter) Language() string { return "en" }

// Greet returns "Hello, <name>!".
func (EnglishGreeter) Greet(name string) string { return "Hello, " + name + "!" }

// ChineseOptions configure the Chinese greeter. The zero value puts the
// name first, as LoopBack's example does by default.
type ChineseOptions struct {
	// GreetingFirst puts the greeting before the name: "你好，<name>！".
	GreetingFirst bool `json:"greetingFirst"`
}

// ChineseGreeter greets in Chinese.
type ChineseGreeter struct {
	opts ChineseOptions
}

// NewChineseGreeter returns a Chinese greeter configured by opts.
func NewChineseGreeter(opts ChineseOptions) *ChineseGreeter { return &ChineseGreeter{opts: opts} }

// Language returns "zh".
func (*ChineseGreeter) Language() string { return "zh" }

// Greet returns "<name>，你好！", or "你好，<name>！" with GreetingFirst.
func (g *ChineseGreeter) Greet(name string) string {
	if g.opts.GreetingFirst {
		return "你好，" + name + "！"
	}
	return name + "，你好！"
}

// GreetingService is the extension point: it greets in a language by
// picking the greeter that speaks it among the extensions bound so far.
type GreetingService struct {
	greeters *di.View[Greeter]
}

// NewGreetingService returns a service over the greeters visible from c.
// It keeps a live view, so greeters bound later are found too.
func NewGreetingService(c *di.Container) *GreetingService {
	return &GreetingService{greeters: di.ExtensionView(c, GreeterPoint)}
}

// Greet greets name in language, falling back to English when no greeter
// speaks it.
func (s *GreetingService) Greet(language, name string) (string, error) {
	greeters, err := s.greeters.Values()
	if err != nil {
		return "", fmt.Errorf("find greeters: %w", err)
	}
	for _, g := range greeters {
		if g.Language() == language {
			return g.Greet(name), nil
		}
	}
	return EnglishGreeter{}.Greet(name), nil
}

// Keys of the example's bindings.
var (
	GreetingServiceKey = di.NewKey[*GreetingService]("services.GreetingService")
	EnglishGreeterKey  = GreeterPoint.Key("en")
	ChineseGreeterKey  = GreeterPoint.Key("zh")
)

// Register binds the greeting service and the two greeters in c: what a
// LoopBack component would contribute.
func Register(c *di.Container) {
	di.Bind(c, GreetingServiceKey).
		ToConstructor(NewGreetingService).
		InScope(di.Singleton).
		Tag(GreeterPoint.Tag())
	di.AddExtension(c, GreeterPoint, EnglishGreeterKey).To(EnglishGreeter{})
	di.AddExtension(c, GreeterPoint, ChineseGreeterKey).
		ToProvider(func(c *di.Container) (Greeter, error) {
			opts, err := di.Config[ChineseOptions](c, ChineseGreeterKey)
			if err != nil {
				return nil, err
			}
			return NewChineseGreeter(opts), nil
		}).
		InScope(di.Singleton)
}
