package aggr

import "math"

func float64bits(f float64) uint64 { return math.Float64bits(f) }
