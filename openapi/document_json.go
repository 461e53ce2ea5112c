package openapi

// JSON encoding of the document objects: each type is encoded through a
// method-less alias of itself, with its Extensions written inline.

// MarshalJSON writes the object with its Extensions inline.
func (v Document) MarshalJSON() ([]byte, error) {
	type alias Document
	a := alias(v)
	if a.OpenAPI == "" {
		a.OpenAPI = Version
	}
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Document) UnmarshalJSON(data []byte) error {
	type alias Document
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Info) MarshalJSON() ([]byte, error) {
	type alias Info
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Info) UnmarshalJSON(data []byte) error {
	type alias Info
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Contact) MarshalJSON() ([]byte, error) {
	type alias Contact
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Contact) UnmarshalJSON(data []byte) error {
	type alias Contact
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v License) MarshalJSON() ([]byte, error) {
	type alias License
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *License) UnmarshalJSON(data []byte) error {
	type alias License
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Server) MarshalJSON() ([]byte, error) {
	type alias Server
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Server) UnmarshalJSON(data []byte) error {
	type alias Server
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v ServerVariable) MarshalJSON() ([]byte, error) {
	type alias ServerVariable
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *ServerVariable) UnmarshalJSON(data []byte) error {
	type alias ServerVariable
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Components) MarshalJSON() ([]byte, error) {
	type alias Components
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Components) UnmarshalJSON(data []byte) error {
	type alias Components
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v PathItem) MarshalJSON() ([]byte, error) {
	type alias PathItem
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *PathItem) UnmarshalJSON(data []byte) error {
	type alias PathItem
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Operation) MarshalJSON() ([]byte, error) {
	type alias Operation
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Operation) UnmarshalJSON(data []byte) error {
	type alias Operation
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Parameter) MarshalJSON() ([]byte, error) {
	type alias Parameter
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Parameter) UnmarshalJSON(data []byte) error {
	type alias Parameter
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v RequestBody) MarshalJSON() ([]byte, error) {
	type alias RequestBody
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *RequestBody) UnmarshalJSON(data []byte) error {
	type alias RequestBody
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v MediaType) MarshalJSON() ([]byte, error) {
	type alias MediaType
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *MediaType) UnmarshalJSON(data []byte) error {
	type alias MediaType
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Encoding) MarshalJSON() ([]byte, error) {
	type alias Encoding
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Encoding) UnmarshalJSON(data []byte) error {
	type alias Encoding
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Response) MarshalJSON() ([]byte, error) {
	type alias Response
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Response) UnmarshalJSON(data []byte) error {
	type alias Response
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Header) MarshalJSON() ([]byte, error) {
	type alias Header
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Header) UnmarshalJSON(data []byte) error {
	type alias Header
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Example) MarshalJSON() ([]byte, error) {
	type alias Example
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Example) UnmarshalJSON(data []byte) error {
	type alias Example
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Link) MarshalJSON() ([]byte, error) {
	type alias Link
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Link) UnmarshalJSON(data []byte) error {
	type alias Link
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v SecurityScheme) MarshalJSON() ([]byte, error) {
	type alias SecurityScheme
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *SecurityScheme) UnmarshalJSON(data []byte) error {
	type alias SecurityScheme
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v OAuthFlows) MarshalJSON() ([]byte, error) {
	type alias OAuthFlows
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *OAuthFlows) UnmarshalJSON(data []byte) error {
	type alias OAuthFlows
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v OAuthFlow) MarshalJSON() ([]byte, error) {
	type alias OAuthFlow
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *OAuthFlow) UnmarshalJSON(data []byte) error {
	type alias OAuthFlow
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v Tag) MarshalJSON() ([]byte, error) {
	type alias Tag
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Tag) UnmarshalJSON(data []byte) error {
	type alias Tag
	return readObject(data, (*alias)(v), &v.Extensions)
}

// MarshalJSON writes the object with its Extensions inline.
func (v ExternalDocs) MarshalJSON() ([]byte, error) {
	type alias ExternalDocs
	return withExtensions(alias(v), v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *ExternalDocs) UnmarshalJSON(data []byte) error {
	type alias ExternalDocs
	return readObject(data, (*alias)(v), &v.Extensions)
}
