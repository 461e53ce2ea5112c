package restsvc_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/loopback-go/lb/service/restsvc"
)

func Example() {
	// A stand-in for a weather service.
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"city":%q,"current":{"celsius":21.5,"units":%q}}`, r.URL.Path[len("/weather/"):], r.URL.Query().Get("units"))
	}))
	defer up.Close()

	svc, err := restsvc.Load([]byte(`{
	  "name": "weather", "connector": "rest", "baseURL": "` + up.URL + `",
	  "operations": [{
	    "template": {"method": "GET", "url": "/weather/{!city}", "query": {"units": "{units=metric}"},
	      "responsePath": "$.current"},
	    "functions": {"current": ["city", "units"]}
	  }]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	type In struct {
		City  string `json:"city"`
		Units string `json:"units,omitempty"`
	}
	type Reading struct {
		Celsius float64 `json:"celsius"`
		Units   string  `json:"units"`
	}
	current := restsvc.MustBind[In, []Reading](svc, "current")
	r, err := current(context.Background(), In{City: "Oslo"})
	fmt.Println(r, err)
	// Output: [{21.5 metric}] <nil>
}
