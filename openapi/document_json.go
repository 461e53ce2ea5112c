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
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Document(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Info) MarshalJSON() ([]byte, error) {
	type alias Info
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Info) UnmarshalJSON(data []byte) error {
	type alias Info
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Info(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Contact) MarshalJSON() ([]byte, error) {
	type alias Contact
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Contact) UnmarshalJSON(data []byte) error {
	type alias Contact
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Contact(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v License) MarshalJSON() ([]byte, error) {
	type alias License
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *License) UnmarshalJSON(data []byte) error {
	type alias License
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = License(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Server) MarshalJSON() ([]byte, error) {
	type alias Server
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Server) UnmarshalJSON(data []byte) error {
	type alias Server
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Server(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v ServerVariable) MarshalJSON() ([]byte, error) {
	type alias ServerVariable
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *ServerVariable) UnmarshalJSON(data []byte) error {
	type alias ServerVariable
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = ServerVariable(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Components) MarshalJSON() ([]byte, error) {
	type alias Components
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Components) UnmarshalJSON(data []byte) error {
	type alias Components
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Components(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v PathItem) MarshalJSON() ([]byte, error) {
	type alias PathItem
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *PathItem) UnmarshalJSON(data []byte) error {
	type alias PathItem
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = PathItem(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Operation) MarshalJSON() ([]byte, error) {
	type alias Operation
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Operation) UnmarshalJSON(data []byte) error {
	type alias Operation
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Operation(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Parameter) MarshalJSON() ([]byte, error) {
	type alias Parameter
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Parameter) UnmarshalJSON(data []byte) error {
	type alias Parameter
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Parameter(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v RequestBody) MarshalJSON() ([]byte, error) {
	type alias RequestBody
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *RequestBody) UnmarshalJSON(data []byte) error {
	type alias RequestBody
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = RequestBody(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v MediaType) MarshalJSON() ([]byte, error) {
	type alias MediaType
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *MediaType) UnmarshalJSON(data []byte) error {
	type alias MediaType
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = MediaType(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Encoding) MarshalJSON() ([]byte, error) {
	type alias Encoding
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Encoding) UnmarshalJSON(data []byte) error {
	type alias Encoding
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Encoding(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Response) MarshalJSON() ([]byte, error) {
	type alias Response
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Response) UnmarshalJSON(data []byte) error {
	type alias Response
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Response(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Header) MarshalJSON() ([]byte, error) {
	type alias Header
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Header) UnmarshalJSON(data []byte) error {
	type alias Header
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Header(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Example) MarshalJSON() ([]byte, error) {
	type alias Example
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Example) UnmarshalJSON(data []byte) error {
	type alias Example
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Example(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Link) MarshalJSON() ([]byte, error) {
	type alias Link
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Link) UnmarshalJSON(data []byte) error {
	type alias Link
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Link(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v SecurityScheme) MarshalJSON() ([]byte, error) {
	type alias SecurityScheme
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *SecurityScheme) UnmarshalJSON(data []byte) error {
	type alias SecurityScheme
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = SecurityScheme(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v OAuthFlows) MarshalJSON() ([]byte, error) {
	type alias OAuthFlows
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *OAuthFlows) UnmarshalJSON(data []byte) error {
	type alias OAuthFlows
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = OAuthFlows(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v OAuthFlow) MarshalJSON() ([]byte, error) {
	type alias OAuthFlow
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *OAuthFlow) UnmarshalJSON(data []byte) error {
	type alias OAuthFlow
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = OAuthFlow(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v Tag) MarshalJSON() ([]byte, error) {
	type alias Tag
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *Tag) UnmarshalJSON(data []byte) error {
	type alias Tag
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = Tag(a)
	v.Extensions = ext
	return nil
}

// MarshalJSON writes the object with its Extensions inline.
func (v ExternalDocs) MarshalJSON() ([]byte, error) {
	type alias ExternalDocs
	a := alias(v)
	return withExtensions(a, v.Extensions)
}

// UnmarshalJSON reads the object; keys starting with "x-" go to Extensions.
func (v *ExternalDocs) UnmarshalJSON(data []byte) error {
	type alias ExternalDocs
	var a alias
	ext, err := readExtensions(data, &a)
	if err != nil {
		return err
	}
	*v = ExternalDocs(a)
	v.Extensions = ext
	return nil
}
