package report

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/accessaudit/accessaudit/audit"
)

// accountCounts counts the results of one account by outcome. The counts
// are int32 to keep the struct small; an account would need more than two
// billion input rows to pass that.
type accountCounts struct {
	pairs          int32 // pairs with a result
	ok             int32
	notFound       int32
	forbidden      int32
	errors         int32
	administrators int32
}

// Coverage of an account, as the per-account table of the Summary sheet
// shows it.
const (
	coverageFull    = "full"    // every pair of the account got a 200 or 404 response
	coveragePartial = "partial" // some pairs are forbidden or error
	coverageNone    = "none"    // every pair is forbidden or error
)

// coverage returns how much of the account the API key could see.
func (c accountCounts) coverage() string {
	switch {
	case c.forbidden+c.errors == 0:
		return coverageFull
	case c.ok+c.notFound == 0:
		return coverageNone
	}
	return coveragePartial
}

// hasGap reports whether some pairs of the account are forbidden or error.
func (c accountCounts) hasGap() bool { return c.forbidden+c.errors > 0 }

// add counts one entry.
func (c *accountCounts) add(e Entry) {
	c.pairs++
	switch e.Outcome {
	case audit.OutcomeOK:
		c.ok++
	case audit.OutcomeNotFound:
		c.notFound++
	case audit.OutcomeForbidden:
		c.forbidden++
	case audit.OutcomeError:
		c.errors++
	}
	if e.Admin {
		c.administrators++
	}
}

// accountTally counts results per account as they arrive, so the Summary
// sheet can show coverage by account without keeping the results. It costs
// one map entry per distinct account, an int64 key and 24 bytes of counts.
// With the map's own overhead that measured 44 to 83 bytes per account for
// 1,000 to 1,000,000 accounts (Go 1.26, linux/amd64). Commit adds 8 bytes per
// account for the sorted list of IDs, so a run over a million distinct
// accounts holds under 100 MB here. A typical run has a few hundred.
type accountTally map[int64]accountCounts

// add counts one entry under its account.
func (t accountTally) add(e Entry) {
	c := t[e.ClientID]
	c.add(e)
	t[e.ClientID] = c
}

// accounts returns the account IDs in ascending order.
func (t accountTally) accounts() []int64 {
	ids := make([]int64, 0, len(t))
	for id := range t {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// gaps returns the number of accounts with a coverage gap.
func (t accountTally) gaps() int {
	n := 0
	for _, c := range t {
		if c.hasGap() {
			n++
		}
	}
	return n
}

// total returns the counts of all accounts together.
func (t accountTally) total() accountCounts {
	var sum accountCounts
	for _, c := range t {
		sum.pairs += c.pairs
		sum.ok += c.ok
		sum.notFound += c.notFound
		sum.forbidden += c.forbidden
		sum.errors += c.errors
		sum.administrators += c.administrators
	}
	return sum
}

// accountColumns returns the header of the per-account table.
func accountColumns(mode string) []string {
	ok := "ok"
	if mode == ModeOffboarding {
		ok = "Still has access"
	}
	return []string{"Account ID", "Pairs", ok, "Administrators", "not_found", "forbidden", "error", "Coverage"}
}

// writeAccounts writes the coverage by account: one row per account in
// ascending ID order and a total row. It starts on a new page unless the
// whole table fits on the page it starts on.
func (s *summaryWriter) writeAccounts(mode string, accounts accountTally) error {
	if s.row+len(accounts)+5 > summaryRowsPerPage {
		if err := s.sw.InsertPageBreak("A" + strconv.Itoa(s.row+1)); err != nil {
			return err
		}
	}

	columns := accountColumns(mode)
	heading := make([]any, len(columns))
	for i := range heading {
		heading[i] = styled(s.st.heading, nil)
	}
	heading[0] = styled(s.st.heading, "Coverage by account")
	if err := s.put(heading...); err != nil {
		return err
	}
	note := "Pairs per account by outcome. An account with forbidden or error pairs has a coverage gap (yellow): the group of those users is unknown."
	if err := s.put(note); err != nil {
		return err
	}

	header := []any{styled(s.st.header, columns[0])} // left, above the IDs
	for _, name := range columns[1:] {
		header = append(header, styled(s.st.tableHeader, name))
	}
	if err := s.putRow(excelize.RowOpts{Height: headerHeight}, header...); err != nil {
		return err
	}

	ids := accounts.accounts()
	shown := min(len(ids), max(s.rowsLeft()-2, 0))
	for _, id := range ids[:shown] {
		if err := s.put(s.accountRow(styled(s.st.tableID, idValue(id)), accounts[id])...); err != nil {
			return err
		}
	}
	if shown < len(ids) {
		note := fmt.Sprintf("%d more accounts are not listed, because a sheet holds %d rows; the total below counts them all.", len(ids)-shown, excelize.TotalRows)
		if err := s.put(note); err != nil {
			return err
		}
	}

	total := accounts.total()
	cells := s.accountRow(styled(s.st.totalText, "All accounts"), total)
	for i := 1; i < len(cells); i++ {
		cells[i] = styled(s.st.total, cells[i].(excelize.Cell).Value)
	}
	return s.put(cells...)
}

// accountRow returns the cells of one row of the per-account table. Counts of
// forbidden and error pairs above zero and the Coverage of an account with a
// gap are filled yellow.
func (s *summaryWriter) accountRow(first any, c accountCounts) []any {
	gap := func(n int32) any {
		if n > 0 {
			return styled(s.st.gapCount, n)
		}
		return styled(s.st.count, n)
	}
	coverage := styled(s.st.count, c.coverage())
	if c.hasGap() {
		coverage = styled(s.st.gapText, c.coverage())
	}
	return []any{
		first,
		styled(s.st.count, c.pairs),
		styled(s.st.count, c.ok),
		styled(s.st.count, c.administrators),
		styled(s.st.count, c.notFound),
		gap(c.forbidden),
		gap(c.errors),
		coverage,
	}
}
