package stdlib

// pure declares a fixed-arity function whose result depends only on its arguments.
func pure(module, name, doc string, params ...string) FnSpec {
	return FnSpec{Module: module, Name: name, Params: params, MinArity: len(params), MaxArity: len(params), Doc: doc, Pure: true}
}

// impure declares a fixed-arity function that reads the event, the clock, randomness or the
// host, so it is never folded at compile time.
func impure(module, name, doc string, params ...string) FnSpec {
	s := pure(module, name, doc, params...)
	s.Pure = false
	return s
}
