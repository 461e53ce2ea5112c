// Command greeter-extension is LoopBack's greeter-extension example in Go:
// an extension point (GreetingService) that greets in the language of one
// of its extensions (greeters), found through the di container.
//
//	go run ./examples/greeter-extension
package main

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/loopback-go/lb/di"
)

func main() {
	if err := run(os.Stdout, "Raymond"); err != nil {
		log.Fatal(err)
	}
}

// run wires the application and greets name in English and Chinese.
func run(w io.Writer, name string) error {
	app := di.NewContainer(nil, "application", di.Application)
	Register(app)
	if err := app.Validate(); err != nil {
		return err
	}
	svc, err := di.Get(app, GreetingServiceKey)
	if err != nil {
		return err
	}
	for _, l := range []struct{ label, lang string }{{"English", "en"}, {"Chinese", "zh"}} {
		msg, err := svc.Greet(l.lang, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %s\n", l.label, msg)
	}
	return nil
}
