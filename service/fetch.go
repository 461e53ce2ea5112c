package service

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// Fetch reads a service description (an OpenAPI document, a WSDL) from
// location: an http(s) URL fetched with client (nil: http.DefaultClient),
// or a file path. A description longer than max bytes, or an answer other
// than 200, is an error.
func Fetch(ctx context.Context, client *http.Client, location string, max int64) ([]byte, error) {
	if !strings.HasPrefix(location, "http://") && !strings.HasPrefix(location, "https://") {
		f, err := os.Open(location)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readMax(f, max, location)
	}
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, location, nil)
	if err != nil {
		return nil, err
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", location, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: status %d", location, res.StatusCode)
	}
	return readMax(res.Body, max, location)
}

func readMax(r io.Reader, max int64, location string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", location, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("read %s: larger than %d bytes", location, max)
	}
	return data, nil
}
