package interceptor

import "github.com/rillstream/rill/runtime/config"

func init() {
	register(&Spec{
		Name:   "decompress",
		Doc:    "decompresses every frame whose magic bytes say gzip, zlib, zstd or snappy (framed), one unit per frame, and passes any other frame through unchanged (read only)",
		Config: []config.Key{maxSizeKey},
		NewPre: func(cfg config.Values) (Pre, error) {
			limit, err := positive(cfg, "max_size")
			if err != nil {
				return nil, err
			}
			return &detectPre{max: limit}, nil
		},
	})
}

// detectOrder is the order in which decompress tries the magic bytes of the algorithms.
var detectOrder = []string{"gzip", "zstd", "snappy", "zlib"}

// detectPre recognizes the format of each frame by its first bytes: gzip 1f 8b, zstd
// 28 b5 2f fd, snappy's stream identifier ff 06 00 00 "sNaPpY", zlib 78 01|5e|9c|da (see
// zlibMagic). A frame that matches one is decompressed (an invalid one is an error); any other
// frame is passed through unchanged. The decompressor of each algorithm is made by the first
// frame that needs it and reused.
type detectPre struct {
	max  int
	decs map[string]*decompressPre
	out  [1][]byte
}

func (p *detectPre) Process(data []byte, _ *uint64) ([][]byte, error) {
	p.out[0] = data
	for _, name := range detectOrder {
		a := algorithms[name]
		if !a.magic(data) {
			continue
		}
		d := p.decs[name]
		if d == nil {
			if p.decs == nil {
				p.decs = map[string]*decompressPre{}
			}
			d = &decompressPre{name: name, max: p.max, dec: a.newDecoder(p.max)}
			p.decs[name] = d
		}
		f, err := d.decode(data)
		if err != nil {
			return nil, err
		}
		p.out[0] = f
		break
	}
	return p.out[:], nil
}

func (p *detectPre) Finish(*uint64) ([][]byte, error) { return nil, nil }
