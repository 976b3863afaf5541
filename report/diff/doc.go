// Package diff compares two JSON reports written by package report and
// returns what changed between them, pair by pair.
//
// A pair is an account ID (client_id) and a user ID (user_id). Every pair
// whose result differs is put in each category it fits, so one pair can be
// in several:
//
//   - new administrators: an administrator in the new report, and not one
//     in the old report or absent from it;
//   - removed administrators: an administrator in the old report, listed in
//     the new report with another group or outcome;
//   - group changes: ok in both reports, with a different group ID or name;
//   - coverage lost: ok or not_found before, forbidden now;
//   - coverage gained: forbidden before, ok or not_found now;
//   - other outcome changes: between ok and not_found, or to or from error;
//   - appeared and disappeared pairs: listed in only one of the reports.
//
// A pair is an administrator by the rule of audit.Result.Admin, applied to
// the outcome and group that the report lists. A change of error kind only
// is no change. Every list is sorted by client ID, then user ID.
//
// Compare reads the old report to the end and keeps its pairs in a map,
// then streams the new report's results past it one at a time. Reports are
// read with the token API of encoding/json, so their line layout and member
// order do not matter. Only report_version 1 is accepted.
//
// Memory: the pairs of a million-pair old report (268 MiB of JSON) take
// about 95 MiB of heap, which is about 100 bytes per pair. While a new
// report of the same size with 10,000 changed pairs streams past, the heap
// grows by about 8 MiB. These figures come from TestMemoryOneReport with
// ACCESSAUDIT_MEMORY_PAIRS=1000000, Go 1.26 on linux/amd64 with 2 CPUs.
// Each changed pair adds a Change to the result.
package diff
