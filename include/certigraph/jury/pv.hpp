// The procès-verbal of a jury session: a self-contained printable HTML page in French,
// and the same content as CSV and JSON (docs/jury.md, "Procès-verbal").
#pragma once

#include <certigraph/error.hpp>  // before deliberation.hpp, which uses Error without including it
#include <certigraph/io/csv.hpp>
#include <certigraph/jury/deliberation.hpp>

#include <iosfwd>
#include <string>

namespace certigraph::jury {

struct PvOptions {
    bool page_per_candidate = true;  ///< each candidate starts a new printed page
};

/// The HTML page: no external resource (inline CSS, no script, a Content-Security-Policy
/// forbidding every fetch), every text escaped. A record without a hash is printed as a
/// draft ("PROJET — non scellé").
std::string pv_html(const Record& record, const PvOptions& options = {});

/// One row per candidate and bloc, the session and certification columns repeated.
void write_pv_csv(std::ostream& out, const Record& record, const io::CsvOptions& csv = {});

/// The same content as JSON (`certigraph/jury-pv`, keys sorted, 2-space indent).
std::string pv_json(const Record& record);

}  // namespace certigraph::jury
