package input

import (
	"math/rand/v2"

	"github.com/accessaudit/accessaudit/audit"
)

// pairIndex maps every unique pair of an input to its 0-based sequence
// number, for the duplicate check of Scan and the lookups of Jobs. It costs
// about 24 bytes per pair: the pairs themselves in chunks, in sequence
// order, and an open-addressing table of 4-byte sequence numbers that is at
// most three quarters full. A map[audit.Pair]int32 takes 40 to 60 bytes per
// pair, which for an input of a million pairs is the largest part of the
// memory of a whole run.
type pairIndex struct {
	seed   uint64         // random per index, so no input can be made to collide on purpose
	slots  []int32        // sequence number + 1 of a pair, 0 for an empty slot; length a power of 2
	chunks [][]audit.Pair // pair number seq is chunks[seq>>pairChunkBits][seq&pairChunkMask]
	count  int
}

// Pairs are stored in chunks of 65,536, so that a growing index never
// copies them.
const (
	pairChunkBits = 16
	pairChunkMask = 1<<pairChunkBits - 1
)

func newPairIndex() *pairIndex {
	return &pairIndex{seed: rand.Uint64(), slots: make([]int32, 1024)}
}

// len returns the number of pairs in the index.
func (ix *pairIndex) len() int { return ix.count }

// pair returns the pair with sequence number seq, which must be below len.
func (ix *pairIndex) pair(seq int32) audit.Pair {
	return ix.chunks[seq>>pairChunkBits][seq&pairChunkMask]
}

// lookup returns the sequence number of p and whether p is in the index.
func (ix *pairIndex) lookup(p audit.Pair) (int32, bool) {
	mask := uint64(len(ix.slots) - 1)
	for at := ix.hash(p) & mask; ; at = (at + 1) & mask {
		stored := ix.slots[at]
		if stored == 0 {
			return 0, false
		}
		if ix.pair(stored-1) == p {
			return stored - 1, true
		}
	}
}

// add returns the sequence number of p, adding p with the next number when
// it is new, and reports whether it was new. The index holds at most
// math.MaxInt32 pairs; the caller stops before that.
func (ix *pairIndex) add(p audit.Pair) (int32, bool) {
	mask := uint64(len(ix.slots) - 1)
	at := ix.hash(p) & mask
	for ; ix.slots[at] != 0; at = (at + 1) & mask {
		if stored := ix.slots[at]; ix.pair(stored-1) == p {
			return stored - 1, false
		}
	}

	seq := int32(ix.count)
	if seq&pairChunkMask == 0 {
		ix.chunks = append(ix.chunks, make([]audit.Pair, 0, 1<<pairChunkBits))
	}
	last := len(ix.chunks) - 1
	ix.chunks[last] = append(ix.chunks[last], p)
	ix.count++
	ix.slots[at] = seq + 1

	if ix.count*4 > len(ix.slots)*3 {
		ix.grow()
	}
	return seq, true
}

// grow doubles the table and places every pair again.
func (ix *pairIndex) grow() {
	ix.slots = make([]int32, 2*len(ix.slots))
	mask := uint64(len(ix.slots) - 1)
	for seq := range int32(ix.count) {
		at := ix.hash(ix.pair(seq)) & mask
		for ix.slots[at] != 0 {
			at = (at + 1) & mask
		}
		ix.slots[at] = seq + 1
	}
}

// hash mixes both IDs and the seed with the splitmix64 finalizer, which
// spreads the consecutive IDs of real inputs evenly over the table.
func (ix *pairIndex) hash(p audit.Pair) uint64 {
	return mix64(mix64(uint64(p.ClientID)^ix.seed) ^ uint64(p.UserID))
}

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
