package stdlib

import (
	"fmt"
	"sort"
)

// Registry is an environment's set of function specs, looked up by (module, name). Registry
// functions and aggregates live in separate namespaces: `win::cardinality` is a registry function
// while `aggr::win::first` is an aggregate of the same module name.
//
// A Registry is built single-threaded (NewRegistry, then Register or setting Impl on looked-up
// specs) and is safe for concurrent reads once shared.
type Registry struct {
	fns  map[key]*FnSpec
	mods map[string][]*FnSpec // module → specs of both kinds, kept sorted by (Name, Aggregate)
}

// key identifies a spec; Aggregate separates the aggr:: namespace.
type key struct {
	module, name string
	aggregate    bool
}

// NewRegistry returns a registry holding the full standard library: every registry function and
// aggregate of Tremor 0.13 that Rill provides, plus Rill's id functions and legacy names, with the
// implementations of the registry functions attached (aggregates are implemented by the runtime).
func NewRegistry() *Registry {
	r := &Registry{fns: map[key]*FnSpec{}, mods: map[string][]*FnSpec{}}
	for _, group := range specGroups() {
		if err := r.Register(group...); err != nil {
			panic(err) // the built-in table is fixed; the tests keep it valid
		}
	}
	r.attachImplementations()
	return r
}

// specGroups returns the declarative tables, one group per file of specs.
func specGroups() [][]FnSpec {
	return [][]FnSpec{
		arraySpecs(), codecSpecs(), chashSpecs(), datetimeSpecs(), numberSpecs(), originSpecs(),
		pathSpecs(), randomSpecs(), rangeSpecs(), reSpecs(), recordSpecs(), stringSpecs(),
		systemSpecs(), testSpecs(), typeSpecs(), winSpecs(), idSpecs(), aggregateSpecs(),
	}
}

// Register validates and adds specs (copies of them) to the registry. It fails on an invalid
// spec or on a (module, name) already registered in the same namespace; specs before the
// failing one stay registered.
func (r *Registry) Register(specs ...FnSpec) error {
	if r.fns == nil {
		r.fns, r.mods = map[key]*FnSpec{}, map[string][]*FnSpec{}
	}
	for i := range specs {
		s := specs[i]
		s.Params = append([]string(nil), s.Params...)
		if err := s.Validate(); err != nil {
			return err
		}
		k := key{s.Module, s.Name, s.Aggregate}
		if _, dup := r.fns[k]; dup {
			return fmt.Errorf("stdlib: %s registered twice", s.Path())
		}
		r.fns[k] = &s
		list := append(r.mods[s.Module], &s)
		sort.Slice(list, func(i, j int) bool {
			if list[i].Name != list[j].Name {
				return list[i].Name < list[j].Name
			}
			return !list[i].Aggregate && list[j].Aggregate
		})
		r.mods[s.Module] = list
	}
	return nil
}

// Lookup finds the registry (non-aggregate) function module::name; module "" names a global
// function such as peer_id. The spec belongs to the registry: callers may set its Impl while
// building the environment, but must not change it afterwards.
func (r *Registry) Lookup(module, name string) (*FnSpec, bool) {
	s, ok := r.fns[key{module, name, false}]
	return s, ok
}

// Aggregate finds the aggregate aggr::module::name (module "stats" or "win").
func (r *Registry) Aggregate(module, name string) (*FnSpec, bool) {
	s, ok := r.fns[key{module, name, true}]
	return s, ok
}

// Modules lists every module holding at least one spec of either kind, sorted; "" (the global
// functions) sorts first when present.
func (r *Registry) Modules() []string {
	out := make([]string, 0, len(r.mods))
	for m := range r.mods {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// Functions lists the specs of one module, registry functions and aggregates alike, sorted by
// name (a registry function before an aggregate of the same name). The slice is a fresh copy.
func (r *Registry) Functions(module string) []*FnSpec {
	return append([]*FnSpec(nil), r.mods[module]...)
}

// All lists every spec, grouped by module in Modules order, each group as in Functions.
func (r *Registry) All() []*FnSpec {
	var out []*FnSpec
	for _, m := range r.Modules() {
		out = append(out, r.mods[m]...)
	}
	return out
}
