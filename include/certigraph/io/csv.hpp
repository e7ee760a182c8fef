// How certigraph writes CSV: one rule for every CSV file it writes (results,
// eligibility, award records), described in docs/security.md ("Inputs and outputs").
#pragma once

namespace certigraph::io {

/// Options of the CSV writers.
struct CsvOptions {
    /// Formula guard (OWASP's rule against CSV injection): a field that begins with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a plain number
    /// (`-1.5`, `+3`, `-2e3` stay numbers), is written with a `'` in front, so that a
    /// spreadsheet shows it as text instead of running it. A field that begins with
    /// `'` gets one more, so the rule can be undone exactly: a reader drops one
    /// leading `'` when the next character is one of those (as `certigraph ledger
    /// record` does). Off: fields are written as they are (RFC 4180 quoting only).
    bool formula_guard = true;
};

}  // namespace certigraph::io
