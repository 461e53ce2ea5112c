package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Version is the OpenAPI version written by [Document.JSON] and [Document.YAML].
const Version = "3.1.0"

// Document is an OpenAPI 3.1 document.
//
// The zero value is an empty document; [NewDocument] fills in the version and
// the info object. Maps (paths, components, responses) are written with
// their keys sorted, so the output is deterministic. Every object type with
// an Extensions field writes those keys inline ("x-controller-name").
//
// A Document is not safe for concurrent modification; build it, then share
// it read-only.
type Document struct {
	// OpenAPI is the version string; empty is written as [Version].
	OpenAPI           string               `json:"openapi"`
	Info              Info                 `json:"info"`
	JSONSchemaDialect string               `json:"jsonSchemaDialect,omitempty"`
	Paths             Paths                `json:"paths,omitzero"`
	Webhooks          map[string]*PathItem `json:"webhooks,omitempty"`
	Servers           []Server             `json:"servers,omitempty"`
	Components        Components           `json:"components,omitzero"`
	Security          SecurityRequirements `json:"security,omitzero"`
	Tags              []Tag                `json:"tags,omitempty"`
	ExternalDocs      *ExternalDocs        `json:"externalDocs,omitempty"`
	Extensions        map[string]any       `json:"-"`
}

// NewDocument returns a 3.1 document with the given title and version and
// an empty Paths map.
func NewDocument(title, version string) *Document {
	return &Document{OpenAPI: Version, Info: Info{Title: title, Version: version}, Paths: Paths{}}
}

// Paths maps path templates ("/todos/{id}") to their path items. It is
// written with the paths sorted.
type Paths map[string]*PathItem

// Info is the info object.
type Info struct {
	Title          string         `json:"title"`
	Summary        string         `json:"summary,omitempty"`
	Description    string         `json:"description,omitempty"`
	TermsOfService string         `json:"termsOfService,omitempty"`
	Contact        *Contact       `json:"contact,omitempty"`
	License        *License       `json:"license,omitempty"`
	Version        string         `json:"version"`
	Extensions     map[string]any `json:"-"`
}

// Contact is the contact object of [Info].
type Contact struct {
	Name       string         `json:"name,omitempty"`
	URL        string         `json:"url,omitempty"`
	Email      string         `json:"email,omitempty"`
	Extensions map[string]any `json:"-"`
}

// License is the license object of [Info]. Identifier is an SPDX
// expression (3.1 only).
type License struct {
	Name       string         `json:"name"`
	Identifier string         `json:"identifier,omitempty"`
	URL        string         `json:"url,omitempty"`
	Extensions map[string]any `json:"-"`
}

// Server is a server object: a base URL, possibly templated with Variables.
type Server struct {
	URL         string                    `json:"url"`
	Description string                    `json:"description,omitempty"`
	Variables   map[string]ServerVariable `json:"variables,omitempty"`
	Extensions  map[string]any            `json:"-"`
}

// ServerVariable is a variable of a [Server] URL template.
type ServerVariable struct {
	Enum        []string       `json:"enum,omitempty"`
	Default     string         `json:"default"`
	Description string         `json:"description,omitempty"`
	Extensions  map[string]any `json:"-"`
}

// Components holds the reusable objects of a document. The zero value is
// empty and is not written.
type Components struct {
	Schemas         map[string]*Schema         `json:"schemas,omitempty"`
	Responses       map[string]*Response       `json:"responses,omitempty"`
	Parameters      map[string]*Parameter      `json:"parameters,omitempty"`
	Examples        map[string]*Example        `json:"examples,omitempty"`
	RequestBodies   map[string]*RequestBody    `json:"requestBodies,omitempty"`
	Headers         map[string]*Header         `json:"headers,omitempty"`
	SecuritySchemes map[string]*SecurityScheme `json:"securitySchemes,omitempty"`
	Links           map[string]*Link           `json:"links,omitempty"`
	Callbacks       map[string]*Callback       `json:"callbacks,omitempty"`
	PathItems       map[string]*PathItem       `json:"pathItems,omitempty"`
	Extensions      map[string]any             `json:"-"`
}

// IsZero reports whether c holds nothing; an empty Components is not written.
func (c Components) IsZero() bool {
	return len(c.Schemas) == 0 && len(c.Responses) == 0 && len(c.Parameters) == 0 &&
		len(c.Examples) == 0 && len(c.RequestBodies) == 0 && len(c.Headers) == 0 &&
		len(c.SecuritySchemes) == 0 && len(c.Links) == 0 && len(c.Callbacks) == 0 &&
		len(c.PathItems) == 0 && len(c.Extensions) == 0
}

// PathItem describes the operations on one path.
type PathItem struct {
	Ref         string         `json:"$ref,omitempty"`
	Summary     string         `json:"summary,omitempty"`
	Description string         `json:"description,omitempty"`
	Get         *Operation     `json:"get,omitempty"`
	Put         *Operation     `json:"put,omitempty"`
	Post        *Operation     `json:"post,omitempty"`
	Delete      *Operation     `json:"delete,omitempty"`
	Options     *Operation     `json:"options,omitempty"`
	Head        *Operation     `json:"head,omitempty"`
	Patch       *Operation     `json:"patch,omitempty"`
	Trace       *Operation     `json:"trace,omitempty"`
	Servers     []Server       `json:"servers,omitempty"`
	Parameters  []*Parameter   `json:"parameters,omitempty"`
	Extensions  map[string]any `json:"-"`
}

// methods lists the HTTP methods a PathItem can hold, upper case, in the
// order they are written.
var methods = [...]string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}

// Methods returns the HTTP methods (upper case) that a PathItem can hold, in
// the order they are written.
func Methods() []string { return append([]string(nil), methods[:]...) }

func (p *PathItem) slot(method string) **Operation {
	switch strings.ToUpper(method) {
	case "GET":
		return &p.Get
	case "PUT":
		return &p.Put
	case "POST":
		return &p.Post
	case "DELETE":
		return &p.Delete
	case "OPTIONS":
		return &p.Options
	case "HEAD":
		return &p.Head
	case "PATCH":
		return &p.Patch
	case "TRACE":
		return &p.Trace
	}
	return nil
}

// Operation returns the operation for method (any case), or nil.
func (p *PathItem) Operation(method string) *Operation {
	if s := p.slot(method); s != nil {
		return *s
	}
	return nil
}

// SetOperation sets the operation for method (any case). It returns an
// error for a method a path item cannot hold.
func (p *PathItem) SetOperation(method string, op *Operation) error {
	s := p.slot(method)
	if s == nil {
		return fmt.Errorf("openapi: unsupported method %q", method)
	}
	*s = op
	return nil
}

// Operations calls fn for each operation of p, in the order they are
// written (get, put, post, delete, options, head, patch, trace). The method
// is upper case.
func (p *PathItem) Operations(fn func(method string, op *Operation)) {
	for _, m := range methods {
		if op := p.Operation(m); op != nil {
			fn(m, op)
		}
	}
}

// Operation describes one API operation on a path.
type Operation struct {
	Tags         []string             `json:"tags,omitempty"`
	Summary      string               `json:"summary,omitempty"`
	Description  string               `json:"description,omitempty"`
	ExternalDocs *ExternalDocs        `json:"externalDocs,omitempty"`
	OperationID  string               `json:"operationId,omitempty"`
	Parameters   []*Parameter         `json:"parameters,omitempty"`
	RequestBody  *RequestBody         `json:"requestBody,omitempty"`
	Responses    map[string]*Response `json:"responses,omitempty"`
	Callbacks    map[string]*Callback `json:"callbacks,omitempty"`
	Deprecated   bool                 `json:"deprecated,omitempty"`
	// Security overrides the document's security; a non-nil empty list
	// (SecurityRequirements{}) is written as [] and removes it.
	Security   SecurityRequirements `json:"security,omitzero"`
	Servers    []Server             `json:"servers,omitempty"`
	Extensions map[string]any       `json:"-"`
}

// SecurityRequirement maps security scheme names to the scopes required.
type SecurityRequirement map[string][]string

// SecurityRequirements is a list of alternative security requirements. A nil
// list is not written; an empty non-nil list is written as [].
type SecurityRequirements []SecurityRequirement

// IsZero reports whether the list is nil.
func (s SecurityRequirements) IsZero() bool { return s == nil }

// Parameter is a path, query, header or cookie parameter. Object-valued
// parameters sent as JSON text (LoopBack's filter) use Content instead of
// Schema.
type Parameter struct {
	Ref             string                `json:"$ref,omitempty"`
	Name            string                `json:"name,omitempty"`
	In              string                `json:"in,omitempty"`
	Description     string                `json:"description,omitempty"`
	Required        bool                  `json:"required,omitempty"`
	Deprecated      bool                  `json:"deprecated,omitempty"`
	AllowEmptyValue bool                  `json:"allowEmptyValue,omitempty"`
	Style           string                `json:"style,omitempty"`
	Explode         *bool                 `json:"explode,omitempty"`
	AllowReserved   bool                  `json:"allowReserved,omitempty"`
	Schema          *Schema               `json:"schema,omitempty"`
	Example         any                   `json:"example,omitempty"`
	Examples        map[string]*Example   `json:"examples,omitempty"`
	Content         map[string]*MediaType `json:"content,omitempty"`
	Extensions      map[string]any        `json:"-"`
}

// The locations of a parameter (Parameter.In).
const (
	InPath   = "path"
	InQuery  = "query"
	InHeader = "header"
	InCookie = "cookie"
)

// RequestBody describes a request body by media type.
type RequestBody struct {
	Ref         string                `json:"$ref,omitempty"`
	Description string                `json:"description,omitempty"`
	Content     map[string]*MediaType `json:"content,omitempty"`
	Required    bool                  `json:"required,omitempty"`
	Extensions  map[string]any        `json:"-"`
}

// MediaType is the schema and examples of one media type.
type MediaType struct {
	Schema     *Schema              `json:"schema,omitempty"`
	Example    any                  `json:"example,omitempty"`
	Examples   map[string]*Example  `json:"examples,omitempty"`
	Encoding   map[string]*Encoding `json:"encoding,omitempty"`
	Extensions map[string]any       `json:"-"`
}

// Encoding describes how one property of a multipart or form body is encoded.
type Encoding struct {
	ContentType   string             `json:"contentType,omitempty"`
	Headers       map[string]*Header `json:"headers,omitempty"`
	Style         string             `json:"style,omitempty"`
	Explode       *bool              `json:"explode,omitempty"`
	AllowReserved bool               `json:"allowReserved,omitempty"`
	Extensions    map[string]any     `json:"-"`
}

// Response is one response of an operation. Description is required by
// OpenAPI and always written.
type Response struct {
	Ref         string                `json:"$ref,omitempty"`
	Description string                `json:"description"`
	Headers     map[string]*Header    `json:"headers,omitempty"`
	Content     map[string]*MediaType `json:"content,omitempty"`
	Links       map[string]*Link      `json:"links,omitempty"`
	Extensions  map[string]any        `json:"-"`
}

// Header is a response header (a parameter without name and in).
type Header struct {
	Ref         string                `json:"$ref,omitempty"`
	Description string                `json:"description,omitempty"`
	Required    bool                  `json:"required,omitempty"`
	Deprecated  bool                  `json:"deprecated,omitempty"`
	Style       string                `json:"style,omitempty"`
	Explode     *bool                 `json:"explode,omitempty"`
	Schema      *Schema               `json:"schema,omitempty"`
	Example     any                   `json:"example,omitempty"`
	Examples    map[string]*Example   `json:"examples,omitempty"`
	Content     map[string]*MediaType `json:"content,omitempty"`
	Extensions  map[string]any        `json:"-"`
}

// Example is a named example value.
type Example struct {
	Ref           string         `json:"$ref,omitempty"`
	Summary       string         `json:"summary,omitempty"`
	Description   string         `json:"description,omitempty"`
	Value         any            `json:"value,omitempty"`
	ExternalValue string         `json:"externalValue,omitempty"`
	Extensions    map[string]any `json:"-"`
}

// Link is a design-time link between responses and operations.
type Link struct {
	Ref          string         `json:"$ref,omitempty"`
	OperationRef string         `json:"operationRef,omitempty"`
	OperationID  string         `json:"operationId,omitempty"`
	Parameters   map[string]any `json:"parameters,omitempty"`
	RequestBody  any            `json:"requestBody,omitempty"`
	Description  string         `json:"description,omitempty"`
	Server       *Server        `json:"server,omitempty"`
	Extensions   map[string]any `json:"-"`
}

// Callback maps runtime expressions to path items.
type Callback map[string]*PathItem

// SecurityScheme is a security scheme: apiKey, http (basic, bearer), mutualTLS,
// oauth2 or openIdConnect.
type SecurityScheme struct {
	Ref              string         `json:"$ref,omitempty"`
	Type             string         `json:"type,omitempty"`
	Description      string         `json:"description,omitempty"`
	Name             string         `json:"name,omitempty"`
	In               string         `json:"in,omitempty"`
	Scheme           string         `json:"scheme,omitempty"`
	BearerFormat     string         `json:"bearerFormat,omitempty"`
	Flows            *OAuthFlows    `json:"flows,omitempty"`
	OpenIDConnectURL string         `json:"openIdConnectUrl,omitempty"`
	Extensions       map[string]any `json:"-"`
}

// OAuthFlows are the OAuth 2 flows of a [SecurityScheme].
type OAuthFlows struct {
	Implicit          *OAuthFlow     `json:"implicit,omitempty"`
	Password          *OAuthFlow     `json:"password,omitempty"`
	ClientCredentials *OAuthFlow     `json:"clientCredentials,omitempty"`
	AuthorizationCode *OAuthFlow     `json:"authorizationCode,omitempty"`
	Extensions        map[string]any `json:"-"`
}

// OAuthFlow is one OAuth 2 flow. Scopes is always written.
type OAuthFlow struct {
	AuthorizationURL string            `json:"authorizationUrl,omitempty"`
	TokenURL         string            `json:"tokenUrl,omitempty"`
	RefreshURL       string            `json:"refreshUrl,omitempty"`
	Scopes           map[string]string `json:"scopes"`
	Extensions       map[string]any    `json:"-"`
}

// Tag adds metadata to a tag used by operations.
type Tag struct {
	Name         string         `json:"name"`
	Description  string         `json:"description,omitempty"`
	ExternalDocs *ExternalDocs  `json:"externalDocs,omitempty"`
	Extensions   map[string]any `json:"-"`
}

// ExternalDocs points to external documentation.
type ExternalDocs struct {
	Description string         `json:"description,omitempty"`
	URL         string         `json:"url"`
	Extensions  map[string]any `json:"-"`
}

// withExtensions encodes v (a method-less alias of the real type) and
// appends the extension keys, sorted, before the closing brace.
func withExtensions(v any, ext map[string]any) ([]byte, error) {
	b, err := marshal(v)
	if err != nil || len(ext) == 0 {
		return b, err
	}
	var w objectWriter
	w.extensions(ext)
	if w.err != nil {
		return nil, w.err
	}
	tail := w.buf.Bytes()
	out := make([]byte, 0, len(b)+len(tail)+1)
	out = append(out, b[:len(b)-1]...)
	if len(b) > 2 {
		out = append(out, ',')
	}
	out = append(out, tail...)
	out = append(out, '}')
	return out, nil
}

// readObject decodes data into *dst, a method-less alias of the real type,
// and sets *ext to the keys starting with "x-". On error it changes
// nothing; on success it replaces the whole object, as json does for a
// fresh value.
func readObject[A any](data []byte, dst *A, ext *map[string]any) error {
	var a A
	e, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*dst = a
	*ext = e
	return nil
}

// readExtensions decodes data into v (a method-less alias of the real type)
// and returns the keys starting with "x-".
func readExtensions(data []byte, v any) (map[string]any, error) {
	if err := json.Unmarshal(data, v); err != nil {
		return nil, err
	}
	if !bytes.Contains(data, []byte(`"x-`)) {
		return nil, nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	var ext map[string]any
	for k, raw := range all {
		if !strings.HasPrefix(k, "x-") {
			continue
		}
		val, err := decodeAny(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		if ext == nil {
			ext = make(map[string]any)
		}
		ext[k] = val
	}
	return ext, nil
}
