package input

import (
	"math/rand/v2"
	"testing"

	"github.com/accessaudit/accessaudit/audit"
)

func TestPairIndexNumbersPairsInOrder(t *testing.T) {
	tests := []struct {
		name  string
		pairs []audit.Pair
		want  []int32 // sequence number add returns for each pair
		added []bool
	}{
		{"empty", nil, nil, nil},
		{"one pair", []audit.Pair{{ClientID: 1, UserID: 2}}, []int32{0}, []bool{true}},
		{"repeat", []audit.Pair{pair(1, 2), pair(1, 3), pair(1, 2), pair(2, 2), pair(1, 3)}, []int32{0, 1, 0, 2, 1}, []bool{true, true, false, true, false}},
		{"swapped IDs differ", []audit.Pair{pair(5, 9), pair(9, 5)}, []int32{0, 1}, []bool{true, true}},
		{"largest IDs", []audit.Pair{pair(1<<63-1, 1<<63-1), pair(1, 1<<63-1)}, []int32{0, 1}, []bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newPairIndex()
			for i, p := range tt.pairs {
				seq, added := ix.add(p)
				if seq != tt.want[i] || added != tt.added[i] {
					t.Errorf("add(%v) = %d, %v; want %d, %v", p, seq, added, tt.want[i], tt.added[i])
				}
			}
			for i, p := range tt.pairs {
				if seq, ok := ix.lookup(p); !ok || seq != tt.want[i] {
					t.Errorf("lookup(%v) = %d, %v; want %d, true", p, seq, ok, tt.want[i])
				}
			}
			if _, ok := ix.lookup(audit.Pair{ClientID: 77, UserID: 77}); ok {
				t.Error("lookup of a pair never added reports it present")
			}
		})
	}
}

// TestPairIndexMatchesMap adds enough random and sequential pairs to grow
// the table many times and checks every result against a map.
func TestPairIndexMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ix := newPairIndex()
	want := make(map[audit.Pair]int32)
	for i := range 200_000 {
		p := audit.Pair{ClientID: int64(i % 300), UserID: int64(i)}
		if i%3 == 0 {
			p = audit.Pair{ClientID: rng.Int64N(50), UserID: rng.Int64N(5000)} // many repeats
		}
		seq, added := ix.add(p)
		existing, seen := want[p]
		if !seen {
			existing = int32(len(want))
			want[p] = existing
		}
		if seq != existing || added == seen {
			t.Fatalf("add(%v) = %d, %v; want %d, %v", p, seq, added, existing, !seen)
		}
	}

	if ix.len() != len(want) {
		t.Fatalf("len = %d, want %d", ix.len(), len(want))
	}
	for p, seq := range want {
		if got, ok := ix.lookup(p); !ok || got != seq {
			t.Fatalf("lookup(%v) = %d, %v; want %d, true", p, got, ok, seq)
		}
		if got := ix.pair(seq); got != p {
			t.Fatalf("pair(%d) = %v, want %v", seq, got, p)
		}
	}
	for range 10_000 {
		p := audit.Pair{ClientID: 1000 + rng.Int64N(1000), UserID: rng.Int64()}
		if _, ok := ix.lookup(p); ok {
			t.Fatalf("lookup(%v) found a pair never added", p)
		}
	}
}
