// Private to the command-line tool: exit codes and shared printing helpers.
#pragma once

#include <certigraph/certigraph.hpp>

#include <iosfwd>
#include <string>
#include <string_view>

namespace certigraph::cli {

/// Exit codes of every subcommand.
enum Exit : int {
    ok = 0,          ///< done, no error found
    found = 1,       ///< the input was read and has errors (diagnostics printed)
    unusable = 2,    ///< bad usage, or input that cannot be read at all
};

/// The kinds of node counted in reports, and their plural names.
inline constexpr NodeKind counted_kinds[] = {NodeKind::bloc, NodeKind::activity,
                                             NodeKind::competency, NodeKind::criterion,
                                             NodeKind::epreuve};
const char* plural(NodeKind kind);

/// The files compiled into the tool for the demo: the RNCP40514 référentiel, its
/// default policy and the sample cohort (examples/).
std::string_view rncp40514_json();
std::string_view rncp40514_policy_json();
std::string_view rncp40514_sample_csv();
std::string_view rncp40514_sample_evidence_jsonl();

/// At most `width` characters (not bytes) of `text` on one line, with "…" when cut.
std::string ellipsize(std::string_view text, std::size_t width);

/// Characters (not bytes) of UTF-8 text.
std::size_t display_width(std::string_view text);

/// "1 criterion", "30 criteria".
std::string counted(std::size_t n, std::string_view singular, std::string_view plural);

/// "4 blocs, 30 activities, ..." for a builder or a référentiel.
template <class T>
std::string node_counts(const T& nodes);

/// Diagnostics as text lines, then a one-line summary; returns the number of errors.
std::size_t print_diagnostics(std::ostream& out, const std::vector<Diagnostic>& diagnostics);

/// What a recorded session's results rest on: the référentiel's fiche and the SHA-256
/// content hashes of the référentiel's and the policy's canonical texts.
struct GradingBasis {
    ledger::ReferentielVersion referentiel;
    std::string policy_hash;
};
GradingBasis grading_basis(const Referentiel& referentiel, const Policy& policy);

/// One computed bloc outcome of an exam session as a `bloc_result` event.
ledger::Event bloc_result_event(const GradingBasis& basis, std::string candidate, std::string bloc,
                                bool validated, Date date, std::string session, std::string evidence);

/// Opens a ledger that must already exist (reading commands must not create an
/// empty ledger for a mistyped path). @throws IoError naming the path and the fix
ledger::Ledger open_existing_ledger(const std::string& db);

/// The three inputs of grading.
struct GradeArguments {
    std::string referentiel, policy, evaluations;
};

/// One CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a
/// line break (inner quotes doubled), as is otherwise.
std::string csv_field(std::string_view text);
/// The fields of one CSV line written by csv_field (quoted fields unquoted).
/// @throws Error for an unterminated quote.
std::vector<std::string> csv_fields(std::string_view line);

/// `candidate,bloc,status` rows for every row and bloc.
std::string results_csv(const Grader& grader, const Cohort& cohort, const GradeResult& result);
/// The candidate x bloc table the demo prints.
void print_grid(std::ostream& out, const Grader& grader, const Cohort& cohort, const GradeResult& result);

int run_check(const std::string& file, const std::string& format);
int run_ledger_init(const std::string& db);
int run_ledger_import(const std::string& db, const std::string& events);
int run_ledger_export(const std::string& db);
int run_ledger_verify(const std::string& db);
int run_ledger_show(const std::string& db, const std::string& candidate, const std::string& as_of);
int run_ledger_snapshot(const std::string& db, const std::string& as_of, const std::string& out);
int run_ledger_record(const std::string& db, const std::string& grades, const std::string& session,
                      const std::string& date, const std::string& referentiel, const std::string& policy);
int run_eligibility(const std::string& db, const std::string& referentiel, const std::string& candidate,
                    const std::string& as_of, const std::string& format);
/// Each candidate's checks (reasons) and what is missing, then a summary line.
void print_eligibility(std::ostream& out, const Referentiel& referentiel,
                       std::span<const ledger::Eligibility> answers);
int run_grade(const GradeArguments& arguments, const std::string& output, unsigned threads);
int run_explain(const GradeArguments& arguments, const std::string& candidate,
                const std::string& session, const std::string& format);
int run_convert(const std::string& input, const std::string& output);
int run_demo(const std::string& referentiel_file);
/// The formats `import --from` knows, in its table's order.
std::vector<std::string> import_format_names();
int run_import(const std::string& from, const std::string& input, const std::string& output,
               const std::string& fiche);
int run_export(const std::string& to, const std::string& input, const std::string& output,
               const std::string& policy, const std::string& base_uri);
int run_merge(const std::string& fiche, const std::string& curated, const std::string& output,
              const std::string& format);
int run_award(const std::string& db, const std::string& referentiel, const std::string& as_of,
              const std::string& candidate, const std::string& out_dir, const std::string& issuer_id,
              const std::string& issuer_name, const std::string& achievement_base_url,
              const std::string& subject_salt);

}  // namespace certigraph::cli
