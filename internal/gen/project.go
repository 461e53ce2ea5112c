package gen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/loopback-go/lb/service/restsvc"
)

// add creates file and inserts wire above marker in target (app.go or
// main.go), checking both before writing anything.
func (w *Writer) add(file File, target, marker, wire string) error {
	src, err := w.Read(target)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s not found in %s: run this command in a project made by lb new", target, absOr(w.Dir))
	} else if err != nil {
		return err
	}
	updated, err := Insert(src, marker, wire)
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	if err := w.Check([]File{file}); err != nil {
		return err
	}
	if err := w.Create(file); err != nil {
		return err
	}
	return w.Update(File{Path: target, Data: updated})
}

// requireProject fails unless dir holds a project made by lb new.
func (w *Writer) requireProject() error {
	if _, err := os.Stat(filepath.Join(w.Dir, "app.go")); err != nil {
		return fmt.Errorf("app.go not found in %s: run this command in a project made by lb new", absOr(w.Dir))
	}
	return nil
}

// AddModel writes a model's file.
func (w *Writer) AddModel(o ModelOptions) error {
	if err := w.requireProject(); err != nil {
		return err
	}
	f, err := Model(o)
	if err != nil {
		return err
	}
	if !w.Force {
		if _, err := os.Stat(filepath.Join(w.Dir, f.Path)); err == nil {
			return fmt.Errorf("model %s already exists (%s); use --force to overwrite", Pascal(o.Name), f.Path)
		}
	}
	return w.Create(f)
}

// AddDatasource writes a data source and opens it in app.go.
func (w *Writer) AddDatasource(o DatasourceOptions) error {
	f, wire, err := Datasource(o)
	if err != nil {
		return err
	}
	if o.Connector == "rest" {
		doc := o.Spec
		if doc == nil {
			doc = SampleRestDatasource(o.Name, o.BaseURL)
		}
		if _, err := restsvc.Load(doc); err != nil {
			return fmt.Errorf("data source %s: %w", o.Name, err)
		}
		jf := File{Path: RestDatasourcePath(o.Name), Data: doc}
		if err := w.Check([]File{jf, f}); err != nil {
			return err
		}
		if err := w.Create(jf); err != nil {
			return err
		}
	}
	return w.add(f, "app.go", MarkerDatasources, wire)
}

// AddRepository writes a model's repository and creates it in app.go.
func (w *Writer) AddRepository(o RepositoryOptions) error {
	if err := w.requireModel(o.Model); err != nil {
		return err
	}
	if err := w.requireDatasource(o.Datasource); err != nil {
		return err
	}
	f, wire, err := Repository(o)
	if err != nil {
		return err
	}
	return w.add(f, "app.go", MarkerRepositories, wire)
}

// AddController writes a controller and registers it in app.go.
func (w *Writer) AddController(o ControllerOptions) error {
	if o.CRUD {
		if err := w.requireModel(o.Name); err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(w.Dir, Snake(o.Name)+"_repository.go")); err != nil {
			return fmt.Errorf("model %s has no repository: run lb repository %s --datasource NAME first (or lb rest-crud)", Pascal(o.Name), Pascal(o.Name))
		}
	}
	f, wire, err := Controller(o)
	if err != nil {
		return err
	}
	var test File
	if o.CRUD {
		src, err := w.Read(ModelFile(o.Name))
		if err != nil {
			return err
		}
		body, err := SampleBody(src, Pascal(o.Name))
		if err != nil {
			return fmt.Errorf("%s: %w", ModelFile(o.Name), err)
		}
		test = ControllerTest(o, body)
		if err := w.Check([]File{test}); err != nil {
			return err
		}
	}
	if err := w.add(f, "app.go", MarkerControllers, wire); err != nil {
		return err
	}
	if o.CRUD {
		return w.Create(test)
	}
	return nil
}

// AddRestCrud writes a model's repository on a data source and its CRUD
// controller: the model served as LoopBack's CRUD REST API.
func (w *Writer) AddRestCrud(model, datasource string, c ControllerOptions) error {
	if err := w.AddRepository(RepositoryOptions{Model: model, Datasource: datasource}); err != nil {
		return err
	}
	c.Name, c.CRUD = model, true
	return w.AddController(c)
}

// AddObserver writes a lifecycle observer and registers it in main.go.
func (w *Writer) AddObserver(name, group string) error {
	f, wire, err := Observer(name, group)
	if err != nil {
		return err
	}
	return w.add(f, "main.go", MarkerObservers, wire)
}

// AddInterceptor writes a global interceptor and adds it in app.go.
func (w *Writer) AddInterceptor(name string) error {
	f, wire, err := Interceptor(name)
	if err != nil {
		return err
	}
	return w.add(f, "app.go", MarkerControllers, wire)
}

func (w *Writer) requireModel(name string) error {
	if err := CheckName("model", name); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(w.Dir, ModelFile(name))); err != nil {
		return fmt.Errorf("model %s not found (%s): run lb model %s first", Pascal(name), ModelFile(name), Pascal(name))
	}
	return nil
}

func (w *Writer) requireDatasource(name string) error {
	if err := CheckName("data source", name); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(w.Dir, Snake(name)+"_datasource.go")); err != nil {
		return fmt.Errorf("data source %s not found (%s_datasource.go): run lb datasource %s first", name, Snake(name), name)
	}
	return nil
}

func absOr(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
