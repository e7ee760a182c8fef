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
std::string_view rncp40514_jury_session_json();

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
/// empty ledger for a mistyped path, nor turn another file into one).
/// @throws ledger::NotALedger naming the path and the fix
ledger::Ledger open_existing_ledger(const std::string& db);

/// Verifies the ledger before a decision is taken from it: true when it verifies,
/// or when `no_verify` (then a warning line goes to `out`). Else prints the first
/// problem and the fix on stderr and returns false.
bool verify_before_use(const ledger::Ledger& store, const std::string& db, bool no_verify, std::ostream& out);

/// Settings of the whole tool (global options).
struct Settings {
    bool formula_guard = true;  ///< off with --no-formula-guard (io::CsvOptions)
};
Settings& settings();

/// Sets the evaluation dialect from --delimiter (`,` `;` `tab` or empty: detected),
/// --encoding and --decimal. @throws Error for an unknown separator
void set_dialect(io::EvaluationReadOptions& read, const std::string& delimiter, const std::string& encoding,
                 const std::string& decimal);

/// Text safe to print on a terminal: control characters (C0, DEL, C1), bidirectional
/// overrides and bytes that are not UTF-8 are shown as `\xHH` / `\u{HHHH}`; the rest as is.
std::string printable(std::string_view text, bool keep_newlines = false);

/// Throws unless `text` is an absolute URI (`scheme:rest`, RFC 3986 characters only,
/// no spaces or controls); with `web`, an `http://` or `https://` URL with a host.
/// @throws Error naming the option and the fix
void require_uri(std::string_view option, std::string_view text, bool web);

/// The three inputs of grading, and how the evaluations are read.
struct GradeArguments {
    std::string referentiel, policy, evaluations;
    io::EvaluationReadOptions read;
};

/// One CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a
/// line break (inner quotes doubled), as is otherwise.
std::string csv_field(std::string_view text);
/// The fields of one CSV line written by csv_field (quoted fields unquoted).
/// @throws Error for an unterminated quote.
std::vector<std::string> csv_fields(std::string_view line);

/// The decided rows of a results CSV written by `certigraph grade` (long layout).
struct GradeRow {
    std::string candidate, bloc;
    bool validated = false;
    std::size_t line = 0;  ///< 1-based, for messages
};
struct GradesFile {
    std::vector<GradeRow> decided;  ///< validated or not_validated, in file order
    std::size_t skipped = 0;        ///< incomplete or exempt: nothing to record
};
/// Reads `candidate,session,bloc,status` (or the older `candidate,bloc,status`):
/// valid UTF-8 without NUL, the formula guard undone, every bloc one of `referentiel`'s,
/// every session `session`, one status per candidate and bloc (a second line for the
/// same pair is refused with both lines). @throws Error naming `source:line` and the fix
GradesFile read_grades_csv(std::string_view text, const std::string& source, const Referentiel& referentiel,
                           const std::string& session);

/// `candidate,session,bloc,status` rows for every row and bloc.
std::string results_csv(const Grader& grader, const Cohort& cohort, const GradeResult& result);
/// `candidate,session,<bloc codes>`: one row per candidate and session, one column per bloc.
std::string results_csv_wide(const Grader& grader, const Cohort& cohort, const GradeResult& result);
/// The candidate x bloc table the demo prints.
void print_grid(std::ostream& out, const Grader& grader, const Cohort& cohort, const GradeResult& result);

int run_check(const std::string& file, const std::string& input_format, const std::string& format);
int run_ledger_init(const std::string& db);
int run_ledger_import(const std::string& db, const std::string& events);
int run_ledger_export(const std::string& db);
int run_ledger_verify(const std::string& db, const std::string& checkpoint, const std::string& pubkey);
int run_ledger_checkpoint(const std::string& db, const std::string& key, const std::string& out,
                          const std::string& key_name);
int run_ledger_show(const std::string& db, const std::string& candidate, const std::string& as_of,
                    const std::string& format = "text");
/// `ledger decide`: one jury decision on a bloc, or the decision on the certification.
struct DecideArguments {
    std::string db, candidate, session, date, referentiel, reason;
    std::string bloc;                    ///< a jury_decision on this bloc, with validated/refused
    bool validated = false, refused = false;
    std::string overrides_session;
    std::string certification;           ///< "awarded" or "withheld": a certification_decision
    std::string route;                   ///< exam or vae (default: vae when the path is a VAE)
    std::vector<std::string> evidence;
};
int run_ledger_decide(const DecideArguments& arguments);
/// `ledger correct`: one correction superseding an event.
struct CorrectArguments {
    std::string db, candidate, reason, date, referentiel;
    ledger::EventId event = 0;
    bool validated = false, refused = false, withdraw = false, awarded = false, withheld = false;
};
int run_ledger_correct(const CorrectArguments& arguments);
/// `ledger recordings`: the recordings table.
int run_ledger_recordings(const std::string& db);
int run_ledger_vacuum(const std::string& db);
/// A few words on what an event says: bloc and outcome, or its kind's key value.
std::string event_summary(const ledger::Event& event);
/// `ledger show --format json`: {candidate, as_of, events[], state}.
std::string show_json(const std::string& candidate, const std::vector<ledger::Event>& events,
                      const ledger::CapitalisationState& state);
int run_ledger_snapshot(const std::string& db, const std::string& as_of, const std::string& out,
                        const std::string& format);
int run_ledger_record(const std::string& db, const std::string& grades, const std::string& session,
                      const std::string& date, const std::string& referentiel, const std::string& policy);
/// `eligibility`: from the ledger `db` or the JSON-lines file `events` (exactly one);
/// format text, json, csv (from the events' objects) or summary (over typed columns).
int run_eligibility(const std::string& db, const std::string& events, const std::string& referentiel,
                    const std::string& candidate, const std::string& as_of, const std::string& format,
                    bool no_verify);
/// Each candidate's checks (reasons) and what is missing, then a summary line.
void print_eligibility(std::ostream& out, const Referentiel& referentiel,
                       std::span<const ledger::Eligibility> answers);
int run_grade(const GradeArguments& arguments, const std::string& output, const std::string& format,
              const std::string& layout, unsigned threads);
int run_explain(const GradeArguments& arguments, const std::string& candidate,
                const std::string& session, const std::string& format);
/// `certigraph stats`: agreement per level (by: criterion, epreuve, bloc) and juror
/// severity (model: additive, rasch); exit 1 when the severity design cannot be fitted.
int run_stats(const GradeArguments& arguments, const std::string& by, const std::string& format,
              const std::string& metric, const std::string& model, double alpha);
int run_convert(const std::string& input, const std::string& output, const std::string& from,
                const std::string& to);
/// The référentiel format for a path: `format` if given (json, txt, xml, bin), else the
/// extension's. @throws Error when neither decides
io::FileFormat referentiel_format(const std::string& path, const std::string& format, std::string_view option);
/// Reads a référentiel with referentiel_format.
ReferentielBuilder read_referentiel_file(const std::string& path, const std::string& format = "");
int run_demo(const std::string& referentiel_file);
int run_export(const std::string& to, const std::string& input, const std::string& output,
               const std::string& policy, const std::string& base_uri);
int run_merge(const std::string& fiche, const std::string& curated, const std::string& output,
              const std::string& format);
int run_award(const std::string& db, const std::string& referentiel, const std::string& as_of,
              const std::string& candidate, const std::string& out_dir, const std::string& issuer_id,
              const std::string& issuer_name, const std::string& achievement_base_url,
              const std::string& subject_salt, bool no_verify, const std::string& checkpoint,
              const std::string& pubkey);

}  // namespace certigraph::cli
