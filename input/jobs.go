package input

import (
	"fmt"
	"iter"

	"github.com/accessaudit/accessaudit/audit"
)

// Jobs reads s again and yields one job per unique valid pair, in order of first
// appearance: Seq counts from 0, Line is the pair's first line, Lines every line that
// names it in ascending order, and Columns the extra columns of its first line, with ""
// for the ones that line lacks. s must be the Source that ix was scanned from.
//
// A read error is yielded once and ends the sequence. So is an error wrapping ErrChanged
// when the input no longer matches ix, as when a file is rewritten between the reads.
func (ix *Index) Jobs(s *Source) iter.Seq2[audit.Job, error] {
	return func(yield func(audit.Job, error) bool) {
		if err := ix.yieldJobs(s, yield); err != nil {
			yield(audit.Job{}, err)
		}
	}
}

// yieldJobs yields the jobs of s until yield returns false, and returns the error that
// ends the read early or makes it untrustworthy.
func (ix *Index) yieldJobs(s *Source, yield func(audit.Job, error) bool) error {
	if size := s.size(); size >= 0 && size != ix.Size {
		return ix.changed()
	}

	st, err := openStream(s)
	if err != nil {
		return err
	}
	defer st.close()
	if ix.SepLine {
		st.lines.next()
	}

	p := parser{lines: st.lines, delim: byte(ix.Delimiter)}
	var r record
	next := int32(0)
	for p.next(&r) {
		if r.line == ix.HeaderLine {
			continue
		}
		pair, reason := ix.layout.classify(&r)
		if reason != "" {
			continue
		}

		seq, ok := ix.seq.lookup(pair)
		switch {
		case !ok || seq > next:
			return ix.changed()
		case seq < next:
			continue // a duplicate
		}

		job := audit.Job{
			Pair:    pair,
			Seq:     int(seq),
			Line:    r.line,
			Lines:   append([]int{r.line}, ix.moreLines[seq]...),
			Columns: ix.layout.extraColumns(&r),
		}
		next++
		if !yield(job, nil) {
			return nil
		}
	}
	if st.lines.err != nil {
		return readError(s, st.lines.err)
	}

	if int(next) != ix.Pairs || st.raw.sum() != ix.SHA256 {
		return ix.changed()
	}
	return nil
}

func (ix *Index) changed() error {
	return fmt.Errorf("%s: %w; run again once the file is complete", displayName(ix.name), ErrChanged)
}
