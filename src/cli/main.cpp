// certigraph: the command-line tool for jury and référentiel work.
#include "cli/common.hpp"
#include "cli/import.hpp"
#include "cli/jury.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

/// "certigraph 0.1.0" and the versions of the formats it reads and writes.
std::string version_text() {
    using namespace certigraph;
    return "certigraph " CERTIGRAPH_VERSION_STRING "\n"
           "formats read and written (a reader takes every version up to these):\n"
           "  référentiel JSON (certigraph/referentiel)  format_version " +
           std::to_string(io::referentiel_json_version) +
           "\n"
           "  référentiel archives (.txt, .xml, .bin)     class version " +
           std::to_string(io::referentiel_archive_version) +
           "\n"
           "  policy JSON (certigraph/policy)            format_version " +
           std::to_string(io::policy_json_version) +
           "\n"
           "  results JSON (certigraph/results)          format_version 1\n"
           "  results CSV                                candidate,session,bloc,status (long) or wide\n"
           "  award records (certigraph/award)           format_version 2 (decision, jury_session)\n"
           "  ledger (SQLite)                            schema version " +
           std::to_string(ledger::Ledger::schema_version) + "\n";
}

/// "64M", "1G", "1000" -> bytes.
std::size_t parse_size(const std::string& text) {
    std::size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(text, &used);
    } catch (const std::exception&) {
        throw certigraph::Error("--max-input-size '" + text + "': write a number of bytes, e.g. 1G, 300M, 5000000");
    }
    const std::string unit = text.substr(used);
    unsigned long long scale = 1;
    if (unit == "K" || unit == "k") scale = 1ULL << 10;
    else if (unit == "M") scale = 1ULL << 20;
    else if (unit == "G") scale = 1ULL << 30;
    else if (!unit.empty())
        throw certigraph::Error("--max-input-size '" + text + "': the unit is K, M or G (powers of 1024)");
    return static_cast<std::size_t>(n * scale);
}

}  // namespace

int main(int argc, char** argv) {
    namespace cli = certigraph::cli;
    CLI::App app{"certigraph " CERTIGRAPH_VERSION_STRING
                 " - grading engine for competency-based certifications\n"
                 "A file argument `-` is standard input (or output for --out). Exit codes: 0 done, 1 the input "
                 "has errors, 2 unusable input or usage."};
    app.require_subcommand(1);
    app.set_version_flag("--version", version_text());
    app.option_defaults()->always_capture_default();
    app.get_formatter()->column_width(34);
    std::string max_input = "1G";
    app.add_option("--max-input-size", max_input,
                   "largest référentiel, policy, grades or events file read whole into memory (K, M, G)")
        ->capture_default_str();
    bool no_formula_guard = false;
    app.add_flag("--no-formula-guard", no_formula_guard,
                 "write CSV cells beginning with = + - @ tab CR as they are (default: prefixed with ')");
    app.footer("Example:  certigraph grade --referentiel ref.json --policy policy.json --evaluations session.csv "
               "--out results.csv\nSee docs/cli.md for every command.");

    std::string file, check_input_format, format = "text";
    auto* check = app.add_subcommand(
        "check", "Check a référentiel's integrity (exit 0: no error, 1: errors, 2: unreadable)");
    check->add_option("FILE", file, "référentiel file: .json, .txt, .xml or .bin; - for standard input")
        ->required();
    check->add_option("--input-format", check_input_format,
                      "json, txt, xml or bin (default: by extension; needed for -)");
    check->add_option("--format", format, "output format")->check(CLI::IsMember({"text", "json"}));
    check->footer("Example:  certigraph check examples/referentiels/rncp40514.json --format json");

    std::string input, output, from, to;
    auto* convert = app.add_subcommand(
        "convert", "Convert a référentiel between JSON and text/XML/binary archives");
    convert->add_option("IN", input, "input file (.json, .txt, .xml, .bin); - for standard input")->required();
    convert->add_option("OUT", output, "output file; the extension chooses the format; - for standard output")
        ->required();
    convert->add_option("--from", from, "input format json, txt, xml or bin (default: by extension)");
    convert->add_option("--to", to, "output format json, txt, xml or bin (default: by extension)");
    convert->footer("Example:  certigraph convert examples/referentiels/rncp40514.json rncp40514.xml");

    cli::GradeArguments inputs;
    std::string delimiter, encoding = "utf-8", decimal = "auto";
    auto add_inputs = [&](CLI::App* command) {
        command->add_option("--referentiel", inputs.referentiel, "référentiel file (.json, .txt, .xml, .bin)")
            ->required();
        command->add_option("--policy", inputs.policy, "grading policy JSON; - for standard input")->required();
        command->add_option("--evaluations", inputs.evaluations,
                            "evaluations CSV (long or wide); - for standard input")
            ->required();
    };
    std::string grade_output, grade_format, layout = "long";
    unsigned threads = 0;
    auto* grade = app.add_subcommand(
        "grade", "Grade a session: one row per candidate and bloc (exit 1 if an input has errors)");
    add_inputs(grade);
    grade->add_option("--out", grade_output,
                      "results file: .csv or .json (with explanations); - for standard output")
        ->required();
    grade->add_option("--format", grade_format, "csv or json (default: by the extension of --out; needed for -)")
        ->check(CLI::IsMember({"csv", "json"}));
    grade->add_option("--layout", layout,
                      "CSV layout: long (candidate,session,bloc,status) or wide (one row per candidate, "
                      "one column per bloc)")
        ->check(CLI::IsMember({"long", "wide"}));
    grade->add_option("--threads", threads, "threads to grade with (0: all cores for large cohorts)");
    grade->footer(
        "Example:  certigraph grade --referentiel examples/referentiels/rncp40514.json "
        "--policy examples/policies/rncp40514-default.json --evaluations examples/cohorts/rncp40514-sample.csv "
        "--out - --format csv --layout wide");

    std::string candidate, session, explain_format = "text";
    auto* explain = app.add_subcommand("explain", "Print why a candidate has each bloc status");
    add_inputs(explain);
    explain->add_option("--candidate", candidate, "candidate id")->required();
    explain->add_option("--session", session, "session, when the candidate has several");
    explain->add_option("--format", explain_format, "output format")->check(CLI::IsMember({"text", "json"}));
    explain->footer(
        "Example:  certigraph explain --referentiel examples/referentiels/rncp40514.json "
        "--policy examples/policies/rncp40514-default.json --evaluations examples/cohorts/rncp40514-sample.csv "
        "--candidate C002");

    std::string db, events_file, ledger_candidate, as_of;
    auto* ledger = app.add_subcommand("ledger", "The capitalisation ledger (an SQLite file)");
    ledger->require_subcommand(1);
    ledger->footer("Example:  certigraph ledger init session.db && certigraph ledger verify session.db");
    auto* ledger_init = ledger->add_subcommand(
        "init", "Create a ledger file, the only way to make one (or open and migrate an existing ledger)");
    ledger_init->add_option("DB", db, "ledger file")->required();
    ledger_init->footer("Example:  certigraph ledger init ledger.db");
    auto* ledger_import = ledger->add_subcommand("import", "Append the events of a JSON-lines file, all or nothing");
    ledger_import->add_option("DB", db, "ledger file")->required();
    ledger_import->add_option("EVENTS", events_file, "events, one JSON object per line; - for standard input")
        ->required();
    ledger_import->footer(
        "Example:  certigraph ledger import ledger.db examples/cohorts/rncp40514-sample-evidence.jsonl");
    auto* ledger_export = ledger->add_subcommand("export", "Write every event as JSON lines on standard output");
    ledger_export->add_option("DB", db, "ledger file")->required();
    ledger_export->footer("Example:  certigraph ledger export ledger.db > events.jsonl");
    std::string checkpoint_file, pubkey_file, key_file, key_name = "certigraph";
    auto* ledger_verify = ledger->add_subcommand(
        "verify", "Check the file, every hash chain and the Merkle tree, and against a signed checkpoint (exit 1 on tampering)");
    ledger_verify->add_option("DB", db, "ledger file")->required();
    ledger_verify->add_option("--checkpoint", checkpoint_file, "a checkpoint written by `ledger checkpoint`");
    ledger_verify->add_option("--pubkey", pubkey_file, "the Ed25519 public key (PEM) that signed it");
    auto* ledger_checkpoint = ledger->add_subcommand(
        "checkpoint", "Write a signed checkpoint (size, Merkle root, time) of a ledger that verifies");
    ledger_checkpoint->add_option("DB", db, "ledger file")->required();
    ledger_checkpoint->add_option("--key", key_file, "Ed25519 private key, PEM (openssl genpkey -algorithm ed25519)")
        ->required();
    ledger_checkpoint->add_option("--out", checkpoint_file, "checkpoint file to write")->required();
    ledger_checkpoint->add_option("--key-name", key_name, "the key's name in the signature line (default: certigraph)");
    ledger_verify->footer("Example:  certigraph ledger verify ledger.db --checkpoint ledger.checkpoint --pubkey key.pub");
    ledger_checkpoint->footer("Example:  certigraph ledger checkpoint ledger.db --key key.pem --out ledger.checkpoint");
    std::string grades_file, record_session, record_date, record_referentiel, record_policy;
    auto* ledger_record = ledger->add_subcommand(
        "record", "Record a graded session's bloc results (validated / not validated), all or nothing");
    ledger_record->add_option("DB", db, "ledger file")->required();
    ledger_record->add_option("--from-grades", grades_file,
                              "results CSV written by `certigraph grade` (long layout); - for standard input")
        ->required();
    ledger_record->add_option("--session", record_session, "exam session id")->required();
    ledger_record->add_option("--date", record_date, "date of the session's jury (YYYY-MM-DD)")->required();
    ledger_record->add_option("--referentiel", record_referentiel, "the référentiel the session was graded with")
        ->required();
    ledger_record->add_option("--policy", record_policy, "the policy it was graded with")->required();
    ledger_record->footer(
        "Example:  certigraph ledger record ledger.db --from-grades results.csv --session S1 --date 2026-06-30 "
        "--referentiel examples/referentiels/rncp40514.json --policy examples/policies/rncp40514-default.json");
    auto* ledger_show = ledger->add_subcommand("show", "A candidate's events and capitalisation state");
    ledger_show->add_option("DB", db, "ledger file")->required();
    ledger_show->add_option("--candidate", ledger_candidate, "candidate id")->required();
    ledger_show->add_option("--as-of", as_of, "date of the state (default: the last event's)");
    std::string show_format = "text";
    ledger_show->add_option("--format", show_format, "text, or json: the events and the state as one document")
        ->check(CLI::IsMember({"text", "json"}));
    ledger_show->footer("Example:  certigraph ledger show ledger.db --candidate C001 --as-of 2026-07-01");
    certigraph::cli::DecideArguments decide_arguments;
    auto* ledger_decide = ledger->add_subcommand(
        "decide", "Record one jury decision: on a bloc (jury_decision) or on the certification (certification_decision)");
    ledger_decide->add_option("DB", decide_arguments.db, "ledger file")->required();
    ledger_decide->add_option("--candidate", decide_arguments.candidate, "candidate id")->required();
    ledger_decide->add_option("--session", decide_arguments.session, "the jury session id")->required();
    ledger_decide->add_option("--date", decide_arguments.date, "date of the decision (YYYY-MM-DD)")->required();
    ledger_decide->add_option("--referentiel", decide_arguments.referentiel,
                              "the référentiel (fiche, content hash, bloc codes, eligibility)")
        ->required();
    ledger_decide->add_option("--bloc", decide_arguments.bloc, "a decision on this bloc, with --validated or --refused");
    auto* decide_validated = ledger_decide->add_flag("--validated", decide_arguments.validated, "the bloc is validated");
    ledger_decide->add_flag("--refused", decide_arguments.refused, "the bloc is refused")->excludes(decide_validated);
    ledger_decide->add_option("--overrides-session", decide_arguments.overrides_session,
                              "the exam session whose computed result the decision replaces");
    ledger_decide->add_option("--certification", decide_arguments.certification,
                              "the decision on the certification: awarded or withheld")
        ->check(CLI::IsMember({"awarded", "withheld"}));
    ledger_decide->add_option("--route", decide_arguments.route,
                              "certification: exam or vae (default: vae when the candidate's path is a VAE)");
    ledger_decide->add_option("--reason", decide_arguments.reason,
                              "why (mandatory for a bloc decision, and to withhold from an eligible candidate)");
    ledger_decide->add_option("--evidence", decide_arguments.evidence, "ids of the documents it rests on");
    ledger_decide->footer("Example:  certigraph ledger decide ledger.db --candidate C001 --certification awarded "
                          "--session JURY-2026-07 --date 2026-07-01 --referentiel examples/referentiels/rncp40514.json");
    certigraph::cli::CorrectArguments correct_arguments;
    auto* ledger_correct = ledger->add_subcommand("correct", "Record one correction superseding an event, with its reason");
    ledger_correct->add_option("DB", correct_arguments.db, "ledger file")->required();
    ledger_correct->add_option("--event", correct_arguments.event, "id of the event corrected")->required();
    ledger_correct->add_option("--reason", correct_arguments.reason, "why it is corrected")->required();
    ledger_correct->add_option("--candidate", correct_arguments.candidate, "the candidate the event must be of");
    ledger_correct->add_option("--date", correct_arguments.date, "date of the correction (default: today, UTC)");
    ledger_correct->add_flag("--validated", correct_arguments.validated, "bloc_result/jury_decision: now validated");
    ledger_correct->add_flag("--refused", correct_arguments.refused, "bloc_result/jury_decision: now refused");
    ledger_correct->add_flag("--awarded", correct_arguments.awarded, "certification_decision: now awarded");
    ledger_correct->add_flag("--withheld", correct_arguments.withheld, "certification_decision: now withheld");
    ledger_correct->add_flag("--withdraw", correct_arguments.withdraw, "withdraw the event (no replacement)");
    ledger_correct->add_option("--referentiel", correct_arguments.referentiel,
                               "certification_decision: compute the eligibility again as of its date");
    ledger_correct->footer("Example:  certigraph ledger correct ledger.db --event 12 --refused --reason \"transcription error\"");
    auto* ledger_recordings = ledger->add_subcommand("recordings", "The recordings of a ledger: sessions, imports, decisions");
    ledger_recordings->add_option("DB", db, "ledger file")->required();
    ledger_recordings->footer("Example:  certigraph ledger recordings ledger.db");
    auto* ledger_vacuum = ledger->add_subcommand(
        "vacuum", "Rewrite a ledger compactly with 64 KiB pages: the free pages a migration left are given back");
    ledger_vacuum->add_option("DB", db, "ledger file (no other process may be reading it)")->required();
    ledger_vacuum->footer("Example:  certigraph ledger vacuum ledger.db");
    std::string snapshot_out, snapshot_format;
    auto* ledger_snapshot = ledger->add_subcommand(
        "snapshot", "Write every candidate's state as of a date as a Boost archive (.txt, .xml, .bin)");
    ledger_snapshot->add_option("DB", db, "ledger file")->required();
    ledger_snapshot->add_option("--as-of", as_of, "date of the state (YYYY-MM-DD)")->required();
    ledger_snapshot->add_option("--out", snapshot_out, "archive file; the extension chooses the format; - for "
                                                       "standard output")
        ->required();
    ledger_snapshot->add_option("--format", snapshot_format, "txt, xml or bin (default: by extension; needed for -)")
        ->check(CLI::IsMember({"txt", "xml", "bin"}));
    ledger_snapshot->footer("Example:  certigraph ledger snapshot ledger.db --as-of 2026-07-01 --out state.xml");

    std::string eligibility_referentiel, eligibility_format = "text";
    auto* eligibility = app.add_subcommand(
        "eligibility", "Who may be awarded the certification as of a date: every reason, what is missing");
    std::string eligibility_events;
    auto* eligibility_db = eligibility->add_option("DB", db, "ledger file (or --events)");
    eligibility->add_option("--events", eligibility_events,
                            "JSON lines of events (as `ledger export` writes them) instead of a ledger; "
                            "no hash chain to verify")
        ->excludes(eligibility_db);
    eligibility->add_option("--referentiel", eligibility_referentiel, "the référentiel (blocs, requirements, dates)")
        ->required();
    eligibility->add_option("--candidate", ledger_candidate, "one candidate (default: every candidate)");
    eligibility->add_option("--as-of", as_of, "decision date (YYYY-MM-DD)")->required();
    eligibility->add_option("--format", eligibility_format,
                            "output format: text, json, csv (every reason), summary (CSV, one row per "
                            "candidate: the finding of each check; over typed columns, for large cohorts)")
        ->check(CLI::IsMember({"text", "json", "csv", "summary"}));
    eligibility->footer(
        "Example:  certigraph eligibility ledger.db --referentiel examples/referentiels/rncp40514.json "
        "--as-of 2026-07-01 --format csv");
    bool no_verify = false;
    eligibility->add_flag("--no-verify", no_verify, "decide from a ledger that was not verified (said in the output)");

    std::string award_db, award_referentiel, award_as_of, award_candidate, award_out, award_issuer_id,
        award_issuer_name, award_base_url, award_salt;
    auto* award = app.add_subcommand(
        "award", "Award records (awards.csv, awards/) and unsigned Open Badges 3.0 credentials (badges/)");
    award->add_option("DB", award_db, "ledger file")->required();
    award->add_option("--referentiel", award_referentiel, "the référentiel (blocs, requirements, dates)")
        ->required();
    award->add_option("--as-of", award_as_of, "decision date, the award date (YYYY-MM-DD)")->required();
    award->add_option("--candidate", award_candidate, "one candidate (default: every candidate)");
    award->add_option("--out", award_out, "output directory: new or empty (created if needed)")->required();
    award->add_option("--issuer-id", award_issuer_id,
                      "issuer profile URI (default: urn:siret:<first certifier's SIRET>; set your https URL)");
    award->add_option("--issuer-name", award_issuer_name, "issuer name (default: the first certifier's)");
    award->add_option("--achievement-base-url", award_base_url,
                      "achievement ids are <URL>/<code> (default: urn:certigraph:achievement:<code>)");
    award->add_option("--salt", award_salt, "salt of the holder's hashed identifier (published in the credential)");
    award->footer(
        "Example:  certigraph award ledger.db --referentiel examples/referentiels/rncp40514.json "
        "--as-of 2026-07-01 --out awards-2026-07 --issuer-id https://school.example/issuer");

    award->add_option("--checkpoint", checkpoint_file, "verify against this signed checkpoint; records name it");
    award->add_option("--pubkey", pubkey_file, "the Ed25519 public key (PEM) that signed the checkpoint");
    award->add_flag("--no-verify", no_verify, "award from a ledger that was not verified (said in the output)");
    std::string stats_by = "criterion", stats_format = "text", stats_metric = "interval", stats_model = "additive";
    double stats_alpha = 0.05;
    auto* stats = app.add_subcommand(
        "stats", "Jury quality: agreement of the jurors per criterion/épreuve/bloc and each juror's severity");
    add_inputs(stats);
    stats->add_option("--by", stats_by, "level of the agreement table")
        ->check(CLI::IsMember({"criterion", "epreuve", "bloc"}));
    stats->add_option("--format", stats_format, "output format")->check(CLI::IsMember({"text", "csv", "json"}));
    stats->add_option("--metric", stats_metric, "Krippendorff's alpha metric")
        ->check(CLI::IsMember({"nominal", "ordinal", "interval", "ratio"}));
    stats->add_option("--model", stats_model, "severity model")->check(CLI::IsMember({"additive", "rasch"}));
    stats->add_option("--alpha", stats_alpha, "level of the test severity = 0 that flags a juror")
        ->check(CLI::Range(0.0, 1.0));
    stats->footer(
        "Example:  certigraph stats --referentiel examples/referentiels/rncp40514.json "
        "--policy examples/policies/rncp40514-default.json --evaluations examples/cohorts/rncp40514-sample.csv "
        "--by bloc");

    std::string export_to, export_in, export_out, export_policy, export_base_uri;
    auto* export_command = app.add_subcommand("export", "Write a référentiel for another system (CASE, Moodle, Canvas)");
    export_command->add_option("--to", export_to, "format of OUT")
        ->required()
        ->check(CLI::IsMember({"case", "moodle-csv", "canvas-csv"}));
    export_command->add_option("IN", export_in, "référentiel file (.json, .txt, .xml, .bin)")->required();
    export_command->add_option("OUT", export_out, "file to write")->required();
    export_command->add_option("--policy", export_policy,
                               "grading policy JSON: scales as CASE rubric levels and Canvas ratings, rules as Moodle rules");
    export_command->add_option("--base-uri", export_base_uri, "CASE: URIs under this base (default urn:uuid:)");
    export_command->footer("Example:  certigraph export --to case examples/referentiels/rncp40514.json rncp40514.case.json "
                           "--policy examples/policies/rncp40514-default.json");

    std::string merge_fiche, merge_curated, merge_out, merge_format = "text";
    auto* merge_command = app.add_subcommand(
        "merge", "Blocs, dates, routes, links from a fiche + competencies, criteria, épreuves from a curated "
                 "référentiel (exit 1 on a mismatch that stops it; nothing written)");
    merge_command->add_option("FICHE", merge_fiche, "the RNCP fiche as a référentiel file")->required();
    merge_command->add_option("CURATED", merge_curated, "the curated référentiel file")->required();
    merge_command->add_option("--out", merge_out, "merged référentiel file")->required();
    merge_command->add_option("--format", merge_format, "report format")->check(CLI::IsMember({"text", "json"}));
    merge_command->footer("Example:  certigraph merge fiche.json examples/referentiels/rncp40514.json --out merged.json");

    std::string demo_referentiel;
    auto* demo = app.add_subcommand(
        "demo", "Load the embedded RNCP40514 référentiel, check it and print its tree");
    demo->add_option("--referentiel", demo_referentiel,
                     "use this référentiel file instead of the embedded one");
    demo->footer("Example:  certigraph demo");

    for (CLI::App* command : {grade, explain, stats}) {
        command->add_option("--delimiter", delimiter,
                            "evaluations field separator: , ; or tab (default: detected from the header)");
        command->add_option("--encoding", encoding, "evaluations encoding: utf-8, windows-1252 or latin-1")
            ->check(CLI::IsMember({"utf-8", "windows-1252", "latin-1"}, CLI::ignore_case));
        command->add_option("--decimal", decimal, "decimal mark of the evaluations: auto, point or comma")
            ->check(CLI::IsMember({"auto", "point", "comma"}));
    }

    std::string jury_session, jury_format = "text", jury_referentiel, jury_explain, jury_db, jury_out;
    auto* jury = app.add_subcommand("jury", "One jury session: composition check, grid, decisions, seal, procès-verbal");
    jury->require_subcommand(1);
    jury->footer("See docs/jury.md. Example:  certigraph jury check examples/juries/rncp40514-session.json");
    auto* jury_check = jury->add_subcommand(
        "check", "Check the jury's composition candidate by candidate (exit 1: not compliant)");
    jury_check->add_option("SESSION", jury_session, "jury session file (JSON); - for standard input")->required();
    jury_check->add_option("--format", jury_format, "output format")->check(CLI::IsMember({"text", "json"}));
    jury_check->footer("Example:  certigraph jury check examples/juries/rncp40514-session.json");
    auto* jury_grid = jury->add_subcommand(
        "grid", "The grid candidate x bloc to read at the table: computed status, margin, decision (exit 1: not ready)");
    jury_grid->add_option("SESSION", jury_session, "jury session file")->required();
    jury_grid->add_option("--format", jury_format, "output format")->check(CLI::IsMember({"text", "csv", "json"}));
    jury_grid->add_option("--explain", jury_explain, "why this candidate has each computed status");
    jury_grid->add_option("--referentiel", jury_referentiel, "référentiel file (default: the session's grading one)");
    jury_grid->footer("Example:  certigraph jury grid examples/juries/rncp40514-session.json --explain C007");
    certigraph::cli::JuryDecideArguments jury_decide_arguments;
    auto* jury_decide = jury->add_subcommand(
        "decide", "Record the jury's decisions in the session file (from a CSV, one by one, or confirm the rest)");
    jury_decide->add_option("SESSION", jury_decide_arguments.session, "jury session file (rewritten)")->required();
    jury_decide->add_option("--from", jury_decide_arguments.from,
                            "CSV: candidate,bloc,verdict[,reason[,validate,refuse,abstain[,casting_vote]]]");
    jury_decide->add_option("--candidate", jury_decide_arguments.candidate, "one decision: the candidate");
    jury_decide->add_option("--bloc", jury_decide_arguments.bloc, "one decision: the bloc code");
    auto* verdicts = jury_decide->add_option_group("verdict");
    verdicts->add_flag_callback("--confirm", [&] { jury_decide_arguments.verdict = "confirm"; }, "the computed result stands");
    verdicts->add_flag_callback("--validate", [&] { jury_decide_arguments.verdict = "validate"; }, "validate the bloc");
    verdicts->add_flag_callback("--refuse", [&] { jury_decide_arguments.verdict = "refuse"; }, "refuse the bloc");
    verdicts->require_option(0, 1);
    jury_decide->add_option("--reason", jury_decide_arguments.reason,
                            "the jury's reason (mandatory against the computed result, and to withhold)");
    jury_decide->add_option("--votes", jury_decide_arguments.votes, "VALIDATE:REFUSE:ABSTAIN, e.g. 2:2:0");
    jury_decide->add_option("--casting-vote", jury_decide_arguments.casting_vote, "the president's vote on a tie")
        ->check(CLI::IsMember({"validate", "refuse"}));
    jury_decide->add_flag("--confirm-rest", jury_decide_arguments.confirm_rest,
                          "confirm every computed result (validated or not) that has no decision yet");
    jury_decide->add_option("--withhold", jury_decide_arguments.withhold,
                            "withhold the certification from this eligible candidate (with --reason)");
    jury_decide->add_option("--referentiel", jury_decide_arguments.referentiel, "référentiel file (default: the session's)");
    jury_decide->add_option("--out", jury_decide_arguments.out,
                            "write the session there instead of in place (grading paths rebased)");
    jury_decide->footer(
        "Example:  certigraph jury decide session.json --candidate C007 --bloc RNCP40514BC01 --validate "
        "--reason \"...\" --votes 2:2:0 --casting-vote validate");

    bool jury_no_verify = false, jury_continuous = false;
    auto* jury_seal = jury->add_subcommand(
        "seal", "Seal the session (content hash) and record its decisions in the ledger, in one transaction, once");
    jury_seal->add_option("SESSION", jury_session, "jury session file, every decision taken")->required();
    jury_seal->add_option("--ledger", jury_db, "ledger file (made with `certigraph ledger init`)")->required();
    jury_seal->add_option("--out", jury_out, "sealed record to write (default: SESSION.sealed.json)");
    jury_seal->add_option("--referentiel", jury_referentiel, "référentiel file (default: the session's grading one)");
    jury_seal->add_flag("--no-verify", jury_no_verify, "record into a ledger that was not verified first");
    jury_seal->footer("Example:  certigraph jury seal session.json --ledger ledger.db");
    auto* jury_pv = jury->add_subcommand(
        "pv", "Write the procès-verbal (HTML, CSV or JSON) of a sealed record, or a draft of a session file");
    jury_pv->add_option("FILE", jury_session, "sealed record (SESSION.sealed.json), or a session file for a draft")
        ->required();
    jury_pv->add_option("--out", jury_out, "file to write: .html, .csv or .json; - for standard output")->required();
    jury_pv->add_option("--format", jury_format, "html, csv or json (default: by extension; needed for -)")
        ->check(CLI::IsMember({"html", "csv", "json"}));
    jury_pv->add_option("--ledger", jury_db, "a draft's certification decisions from this ledger");
    jury_pv->add_option("--referentiel", jury_referentiel, "référentiel file (default: the session's grading one)");
    jury_pv->add_flag("--continuous", jury_continuous, "candidates one after the other (default: a page each)");
    jury_pv->footer("Example:  certigraph jury pv session.sealed.json --out pv.html");

    certigraph::cli::ImportArguments import_arguments;
    auto* import = app.add_subcommand(
        "import", "Import a référentiel from another format into certigraph's JSON (docs/interop.md)");
    import->add_option("--from", import_arguments.from, "input format")
        ->required()
        ->check(CLI::IsMember(certigraph::cli::import_formats()));
    import->add_option("IN", import_arguments.input, "input file or folder")->required();
    import->add_option("--out", import_arguments.output, "référentiel JSON to write")->required();
    import->add_option("--fiche", import_arguments.fiche, "RNCP code: the fiche of an export, the codes of a table");
    import->add_option("--title", import_arguments.title, "the certification's title (referentiel-text)");
    import->footer("Example:  certigraph import --from rncp-xml export.xml --fiche RNCP40514 --out rncp40514-fiche.json");

    certigraph::cli::RncpListArguments rncp_list_arguments;
    auto* rncp = app.add_subcommand("rncp", "France compétences' RNCP export");
    rncp->require_subcommand(1);
    auto* rncp_list = rncp->add_subcommand("list", "One row per fiche of an export (XML, zip or CSV folder)");
    rncp_list->add_option("EXPORT", rncp_list_arguments.input, "export .xml, .zip or folder of the CSV export")
        ->required();
    rncp_list->add_flag("--active", rncp_list_arguments.active_only, "only the fiches whose ACTIF is Oui");
    rncp_list->add_option("--format", rncp_list_arguments.format, "output format")
        ->check(CLI::IsMember({"text", "csv", "json"}));
    rncp_list->footer("Example:  certigraph rncp list export-fiches-rncp-v4-1.xml --active --format csv");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : cli::unusable;
    }

    try {
        certigraph::io::set_max_input_bytes(parse_size(max_input));
        cli::settings().formula_guard = !no_formula_guard;
        if (*grade || *explain || *stats) cli::set_dialect(inputs.read, delimiter, encoding, decimal);
        if (*check) return cli::run_check(file, check_input_format, format);
        if (*convert) return cli::run_convert(input, output, from, to);
        if (*grade) return cli::run_grade(inputs, grade_output, grade_format, layout, threads);
        if (*explain) return cli::run_explain(inputs, candidate, session, explain_format);
        if (*award)
            return cli::run_award(award_db, award_referentiel, award_as_of, award_candidate, award_out,
                                  award_issuer_id, award_issuer_name, award_base_url, award_salt, no_verify,
                                  checkpoint_file, pubkey_file);
        if (*stats) return cli::run_stats(inputs, stats_by, stats_format, stats_metric, stats_model, stats_alpha);
        if (*demo) return cli::run_demo(demo_referentiel);
        if (*import) return cli::run_import(import_arguments);
        if (*rncp_list) return cli::run_rncp_list(rncp_list_arguments);
        if (*export_command) return cli::run_export(export_to, export_in, export_out, export_policy, export_base_uri);
        if (*merge_command) return cli::run_merge(merge_fiche, merge_curated, merge_out, merge_format);
        if (*jury_check) return cli::run_jury_check(jury_session, jury_format);
        if (*jury_grid) return cli::run_jury_grid(jury_session, jury_referentiel, jury_format, jury_explain);
        if (*jury_decide) return cli::run_jury_decide(jury_decide_arguments);
        if (*jury_seal) return cli::run_jury_seal(jury_session, jury_db, jury_out, jury_referentiel, jury_no_verify);
        if (*jury_pv)
            return cli::run_jury_pv(jury_session, jury_out, jury_format == "text" ? "" : jury_format, jury_db,
                                    jury_referentiel, !jury_continuous);
        if (*ledger_init) return cli::run_ledger_init(db);
        if (*ledger_import) return cli::run_ledger_import(db, events_file);
        if (*ledger_export) return cli::run_ledger_export(db);
        if (*ledger_verify) return cli::run_ledger_verify(db, checkpoint_file, pubkey_file);
        if (*ledger_checkpoint) return cli::run_ledger_checkpoint(db, key_file, checkpoint_file, key_name);
        if (*ledger_show) return cli::run_ledger_show(db, ledger_candidate, as_of, show_format);
        if (*ledger_decide) return cli::run_ledger_decide(decide_arguments);
        if (*ledger_correct) return cli::run_ledger_correct(correct_arguments);
        if (*ledger_recordings) return cli::run_ledger_recordings(db);
        if (*ledger_vacuum) return cli::run_ledger_vacuum(db);
        if (*ledger_snapshot) return cli::run_ledger_snapshot(db, as_of, snapshot_out, snapshot_format);
        if (*eligibility)
            return cli::run_eligibility(db, eligibility_events, eligibility_referentiel, ledger_candidate, as_of,
                                        eligibility_format, no_verify);
        if (*ledger_record)
            return cli::run_ledger_record(db, grades_file, record_session, record_date, record_referentiel,
                                          record_policy);
    } catch (const certigraph::InvalidReferentiel& e) {
        std::cerr << "certigraph: " << cli::printable(e.what(), true) << '\n';
        cli::print_diagnostics(std::cerr, e.diagnostics());
        return cli::found;
    } catch (const certigraph::InvalidInput& e) {
        // The summary line, then every problem (what() repeats only the first few).
        const std::string what = e.what();
        std::cerr << "certigraph: " << cli::printable(what.substr(0, what.find('\n')), true) << '\n';
        for (const auto& problem : e.problems()) std::cerr << cli::printable(problem, true) << '\n';
        return cli::found;
    } catch (const certigraph::GradingError& e) {
        std::cerr << "certigraph: " << cli::printable(e.what(), true) << '\n';
        return cli::found;
    } catch (const certigraph::Error& e) {
        std::cerr << "certigraph: " << cli::printable(e.what(), true) << '\n';
        return cli::unusable;
    } catch (const std::exception& e) {
        std::cerr << "certigraph: internal error: " << cli::printable(e.what(), true) << '\n';
        return cli::unusable;
    }
    return cli::unusable;
}
