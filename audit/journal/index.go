package journal

import (
	"math"

	"github.com/accessaudit/accessaudit/audit"
)

// record is the final outcome of one pair, kept compact because a journal
// may hold a million of them. Texts are indexes into index.texts, since
// group names and API messages repeat across pairs.
type record struct {
	groupID    int64
	name       textID // group_name
	message    textID // error
	attempts   int32
	status     int16
	outcome    uint8
	hasGroupID bool
}

// textID numbers a distinct text of an index. noText stands for null.
type textID uint32

const noText textID = 0

// The outcome codes of a record. Only final outcomes are kept.
const (
	codeOK uint8 = iota + 1
	codeForbidden
	codeNotFound
)

func outcomeCode(o audit.Outcome) uint8 {
	switch o {
	case audit.OutcomeOK:
		return codeOK
	case audit.OutcomeForbidden:
		return codeForbidden
	}
	return codeNotFound
}

var outcomeOfCode = [...]audit.Outcome{codeOK: audit.OutcomeOK, codeForbidden: audit.OutcomeForbidden, codeNotFound: audit.OutcomeNotFound}

// index maps each pair to its final record and stores every distinct text
// once. It is filled by one goroutine and read-only afterwards.
type index struct {
	records map[audit.Pair]record
	texts   []string // texts[0] is unused, so that noText is 0
	textIDs map[string]textID
}

func newIndex() *index {
	return &index{
		records: make(map[audit.Pair]record),
		texts:   []string{""},
		textIDs: make(map[string]textID),
	}
}

func (ix *index) len() int { return len(ix.records) }

func (ix *index) get(p audit.Pair) (record, bool) {
	rec, ok := ix.records[p]
	return rec, ok
}

// put records a final outcome for p, replacing an earlier one.
func (ix *index) put(p audit.Pair, rec record) { ix.records[p] = rec }

// forget drops p, because a later line recorded it as not final.
func (ix *index) forget(p audit.Pair) { delete(ix.records, p) }

// intern returns the ID of *s, adding it when new, or noText for nil.
// Past 2^32-1 distinct texts it returns noText and so loses the text. A
// journal of a million pairs has at most two million texts.
func (ix *index) intern(s *string) textID {
	if s == nil {
		return noText
	}
	if id, ok := ix.textIDs[*s]; ok {
		return id
	}
	if uint64(len(ix.texts)) > math.MaxUint32 {
		return noText
	}
	id := textID(len(ix.texts))
	ix.texts = append(ix.texts, *s)
	ix.textIDs[*s] = id
	return id
}

func (ix *index) text(id textID) *string {
	if id == noText {
		return nil
	}
	s := ix.texts[id]
	return &s
}

// result turns rec back into the Result for job.
func (ix *index) result(job audit.Job, rec record) audit.Result {
	res := audit.Result{
		Job:        job,
		Outcome:    outcomeOfCode[rec.outcome],
		HTTPStatus: int(rec.status),
		GroupName:  ix.text(rec.name),
		Attempts:   int(rec.attempts),
	}
	if rec.hasGroupID {
		id := rec.groupID
		res.GroupID = &id
	}
	if msg := ix.text(rec.message); msg != nil {
		res.Error = *msg
	}
	return res
}
