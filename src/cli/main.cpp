// certigraph: the command-line tool for jury and référentiel work.
#include "cli/common.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"certigraph " CERTIGRAPH_VERSION_STRING
                 " - grading engine for competency-based certifications"};
    app.require_subcommand(1);
    app.set_version_flag("--version", CERTIGRAPH_VERSION_STRING);

    std::string file, format = "text";
    auto* check = app.add_subcommand(
        "check", "Check a référentiel's integrity (exit 0: no error, 1: errors, 2: unreadable)");
    check->add_option("FILE", file, "référentiel file: .json, .txt, .xml or .bin")->required();
    check->add_option("--format", format, "output format")
        ->check(CLI::IsMember({"text", "json"}));

    std::string input, output;
    auto* convert = app.add_subcommand(
        "convert", "Convert a référentiel between JSON and text/XML/binary archives");
    convert->add_option("IN", input, "input file (.json, .txt, .xml, .bin)")->required();
    convert->add_option("OUT", output, "output file; the extension chooses the format")->required();

    certigraph::cli::GradeArguments inputs;
    auto add_inputs = [&inputs](CLI::App* command) {
        command->add_option("--referentiel", inputs.referentiel, "référentiel file (.json, .txt, .xml, .bin)")
            ->required();
        command->add_option("--policy", inputs.policy, "grading policy JSON")->required();
        command->add_option("--evaluations", inputs.evaluations, "evaluations CSV (long or wide)")->required();
    };
    std::string grade_output;
    unsigned threads = 0;
    auto* grade = app.add_subcommand(
        "grade", "Grade a session: one row per candidate and bloc (exit 1 if an input has errors)");
    add_inputs(grade);
    grade->add_option("--out", grade_output,
                      "results file: .csv (candidate,bloc,status) or .json (with explanations)")
        ->required();
    grade->add_option("--threads", threads, "threads to grade with (0: all cores for large cohorts)");

    std::string candidate, session, explain_format = "text";
    auto* explain = app.add_subcommand("explain", "Print why a candidate has each bloc status");
    add_inputs(explain);
    explain->add_option("--candidate", candidate, "candidate id")->required();
    explain->add_option("--session", session, "session, when the candidate has several");
    explain->add_option("--format", explain_format, "output format")->check(CLI::IsMember({"text", "json"}));

    std::string db, events_file, ledger_candidate, as_of;
    auto* ledger = app.add_subcommand("ledger", "The capitalisation ledger (an SQLite file)");
    ledger->require_subcommand(1);
    auto* ledger_init = ledger->add_subcommand("init", "Create a ledger file (or check an existing one)");
    ledger_init->add_option("DB", db, "ledger file")->required();
    auto* ledger_import = ledger->add_subcommand("import", "Append the events of a JSON-lines file, all or nothing");
    ledger_import->add_option("DB", db, "ledger file")->required();
    ledger_import->add_option("EVENTS", events_file, "events, one JSON object per line")->required();
    auto* ledger_export = ledger->add_subcommand("export", "Write every event as JSON lines on standard output");
    ledger_export->add_option("DB", db, "ledger file")->required();
    auto* ledger_verify = ledger->add_subcommand("verify", "Check every candidate's hash chain (exit 1 on tampering)");
    ledger_verify->add_option("DB", db, "ledger file")->required();
    std::string grades_file, record_session, record_date, record_referentiel, record_policy;
    auto* ledger_record = ledger->add_subcommand(
        "record", "Record a graded session's bloc results (validated / not validated), all or nothing");
    ledger_record->add_option("DB", db, "ledger file")->required();
    ledger_record->add_option("--from-grades", grades_file, "results CSV written by `certigraph grade`")->required();
    ledger_record->add_option("--session", record_session, "exam session id")->required();
    ledger_record->add_option("--date", record_date, "date of the session's jury (YYYY-MM-DD)")->required();
    ledger_record->add_option("--referentiel", record_referentiel, "the référentiel the session was graded with")
        ->required();
    ledger_record->add_option("--policy", record_policy, "the policy it was graded with")->required();
    auto* ledger_show = ledger->add_subcommand("show", "A candidate's events and capitalisation state");
    ledger_show->add_option("DB", db, "ledger file")->required();
    ledger_show->add_option("--candidate", ledger_candidate, "candidate id")->required();
    ledger_show->add_option("--as-of", as_of, "date of the state (default: the last event's)");
    std::string snapshot_out;
    auto* ledger_snapshot = ledger->add_subcommand(
        "snapshot", "Write every candidate's state as of a date as a Boost archive (.txt, .xml, .bin)");
    ledger_snapshot->add_option("DB", db, "ledger file")->required();
    ledger_snapshot->add_option("--as-of", as_of, "date of the state (YYYY-MM-DD)")->required();
    ledger_snapshot->add_option("--out", snapshot_out, "archive file; the extension chooses the format")->required();

    std::string eligibility_referentiel, eligibility_format = "text";
    auto* eligibility = app.add_subcommand(
        "eligibility", "Who may be awarded the certification as of a date: every reason, what is missing");
    eligibility->add_option("DB", db, "ledger file")->required();
    eligibility->add_option("--referentiel", eligibility_referentiel, "the référentiel (blocs, requirements, dates)")
        ->required();
    eligibility->add_option("--candidate", ledger_candidate, "one candidate (default: every candidate)");
    eligibility->add_option("--as-of", as_of, "decision date (YYYY-MM-DD)")->required();
    eligibility->add_option("--format", eligibility_format, "output format")
        ->check(CLI::IsMember({"text", "json", "csv"}));

    std::string award_db, award_referentiel, award_as_of, award_candidate, award_out, award_issuer_id,
        award_issuer_name, award_base_url, award_salt;
    auto* award = app.add_subcommand(
        "award", "Award records (awards.csv, awards/) and unsigned Open Badges 3.0 credentials (badges/)");
    award->add_option("DB", award_db, "ledger file")->required();
    award->add_option("--referentiel", award_referentiel, "the référentiel (blocs, requirements, dates)")
        ->required();
    award->add_option("--as-of", award_as_of, "decision date, the award date (YYYY-MM-DD)")->required();
    award->add_option("--candidate", award_candidate, "one candidate (default: every candidate)");
    award->add_option("--out", award_out, "output directory (created if needed)")->required();
    award->add_option("--issuer-id", award_issuer_id,
                      "issuer profile URI (default: urn:siret:<first certifier's SIRET>; set your https URL)");
    award->add_option("--issuer-name", award_issuer_name, "issuer name (default: the first certifier's)");
    award->add_option("--achievement-base-url", award_base_url,
                      "achievement ids are <URL>/<code> (default: urn:certigraph:achievement:<code>)");
    award->add_option("--salt", award_salt, "salt of the holder's hashed identifier (published in the credential)");

    std::string import_from, import_in, import_out, import_fiche;
    auto* import_command = app.add_subcommand(
        "import", "A référentiel from another system's file (exit 1 if it does not pass the check; nothing written)");
    import_command->add_option("--from", import_from, "format of IN")
        ->required()
        ->check(CLI::IsMember(certigraph::cli::import_format_names()));
    import_command->add_option("IN", import_in, "input file")->required();
    import_command->add_option("--out", import_out, "référentiel file to write (.json, .txt, .xml, .bin)")->required();
    import_command->add_option("--fiche", import_fiche, "the fiche's code (RNCPnnnnn) when IN does not give it");

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

    std::string merge_fiche, merge_curated, merge_out, merge_format = "text";
    auto* merge_command = app.add_subcommand(
        "merge", "Blocs, dates, routes, links from a fiche + competencies, criteria, épreuves from a curated "
                 "référentiel (exit 1 on a mismatch that stops it; nothing written)");
    merge_command->add_option("FICHE", merge_fiche, "the RNCP fiche as a référentiel file")->required();
    merge_command->add_option("CURATED", merge_curated, "the curated référentiel file")->required();
    merge_command->add_option("--out", merge_out, "merged référentiel file")->required();
    merge_command->add_option("--format", merge_format, "report format")->check(CLI::IsMember({"text", "json"}));

    std::string demo_referentiel;
    auto* demo = app.add_subcommand(
        "demo", "Load the embedded RNCP40514 référentiel, check it and print its tree");
    demo->add_option("--referentiel", demo_referentiel,
                     "use this référentiel file instead of the embedded one");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : certigraph::cli::unusable;
    }

    try {
        if (*check) return certigraph::cli::run_check(file, format);
        if (*convert) return certigraph::cli::run_convert(input, output);
        if (*grade) return certigraph::cli::run_grade(inputs, grade_output, threads);
        if (*explain) return certigraph::cli::run_explain(inputs, candidate, session, explain_format);
        if (*award)
            return certigraph::cli::run_award(award_db, award_referentiel, award_as_of, award_candidate, award_out,
                                              award_issuer_id, award_issuer_name, award_base_url, award_salt);
        if (*demo) return certigraph::cli::run_demo(demo_referentiel);
        if (*import_command) return certigraph::cli::run_import(import_from, import_in, import_out, import_fiche);
        if (*export_command)
            return certigraph::cli::run_export(export_to, export_in, export_out, export_policy, export_base_uri);
        if (*merge_command) return certigraph::cli::run_merge(merge_fiche, merge_curated, merge_out, merge_format);
        if (*ledger_init) return certigraph::cli::run_ledger_init(db);
        if (*ledger_import) return certigraph::cli::run_ledger_import(db, events_file);
        if (*ledger_export) return certigraph::cli::run_ledger_export(db);
        if (*ledger_verify) return certigraph::cli::run_ledger_verify(db);
        if (*ledger_show) return certigraph::cli::run_ledger_show(db, ledger_candidate, as_of);
        if (*ledger_snapshot) return certigraph::cli::run_ledger_snapshot(db, as_of, snapshot_out);
        if (*eligibility)
            return certigraph::cli::run_eligibility(db, eligibility_referentiel, ledger_candidate, as_of,
                                                    eligibility_format);
        if (*ledger_record)
            return certigraph::cli::run_ledger_record(db, grades_file, record_session, record_date,
                                                      record_referentiel, record_policy);
    } catch (const certigraph::InvalidReferentiel& e) {
        std::cerr << "certigraph: " << e.what() << '\n';
        certigraph::cli::print_diagnostics(std::cerr, e.diagnostics());
        return certigraph::cli::found;
    } catch (const certigraph::InvalidInput& e) {
        // The summary line, then every problem (what() repeats only the first few).
        const std::string what = e.what();
        std::cerr << "certigraph: " << what.substr(0, what.find('\n')) << '\n';
        for (const auto& problem : e.problems()) std::cerr << problem << '\n';
        return certigraph::cli::found;
    } catch (const certigraph::GradingError& e) {
        std::cerr << "certigraph: " << e.what() << '\n';
        return certigraph::cli::found;
    } catch (const certigraph::Error& e) {
        std::cerr << "certigraph: " << e.what() << '\n';
        return certigraph::cli::unusable;
    } catch (const std::exception& e) {
        std::cerr << "certigraph: internal error: " << e.what() << '\n';
        return certigraph::cli::unusable;
    }
    return certigraph::cli::unusable;
}
