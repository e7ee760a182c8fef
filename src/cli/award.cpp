// `certigraph award`: award records and unsigned Open Badges 3.0 credentials for every
// candidate of a ledger (or one), as of a decision date (docs/ledger.md, "Award
// records and Open Badges").
#include "cli/common.hpp"

#include <certigraph/ledger/award.hpp>
#include <certigraph/ledger/checkpoint.hpp>
#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/ledger.hpp>

#include <filesystem>
#include <cctype>
#include <set>
#include <sstream>
#include <iostream>
#include <span>

namespace certigraph::cli {

namespace {

namespace fs = std::filesystem;

/// A file-name-safe form of an id: characters outside [A-Za-z0-9._-], and a leading
/// ".", become "_"; when anything was replaced (or the id is longer than 100 bytes),
/// the first 100 bytes are kept and "-" + 8 hex digits of the id's SHA-256 are added,
/// so that two ids do not share a file name.
std::string safe_name(std::string_view id) {
    std::string out;
    bool changed = false;
    for (char c : id) {
        // A leading "." would make a hidden file (and "." / ".." are not file names).
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        (c == '.' && !out.empty()) || c == '_' || c == '-';
        out += ok ? c : '_';
        changed = changed || !ok;
    }
    if (changed || out.size() > 100 || out.empty())
        out = out.substr(0, 100) + "-" + ledger::sha256_hex(id).substr(0, 8);
    return out;
}

/// The files of one run, by path relative to --out, collision-free: a name already
/// taken (also when only its case differs, for case-insensitive file systems) gets
/// "-" + 8 hex digits of the SHA-256 of what it stands for, until it is unique.
class Files {
  public:
    void add(std::string directory, std::string stem, std::string_view key, std::string text) {
        std::string name = stem;
        for (int round = 0; !taken_.insert(lower(directory + "/" + name)).second; ++round)
            name = stem + "-" + ledger::sha256_hex(std::string(key) + '\n' + std::to_string(round)).substr(0, 8);
        files_.push_back({fs::path(directory) / (name + ".json"), std::move(text) + '\n'});
    }
    /// Writes every file into a fresh directory beside `out`, then renames it to `out`
    /// (which must not exist or be empty): all the files or none.
    void write(const fs::path& out, const std::string& csv) const {
        const fs::path staging = out.string() + ".partial-" + ledger::sha256_hex(out.string()).substr(0, 8);
        std::error_code error;
        if (staging.has_parent_path()) fs::create_directories(staging.parent_path(), error);
        if (!fs::create_directory(staging, error))
            throw IoError(staging.string() + ": cannot create the staging directory" +
                          (error ? ": " + error.message() : std::string(" (it exists: an earlier run failed; remove it)")));
        try {
            fs::create_directory(staging / "awards");
            fs::create_directory(staging / "badges");
            for (const auto& [path, text] : files_) io::write_file(staging / path, text, {{}, true});
            io::write_file(staging / "awards.csv", csv, {{}, true});
            fs::rename(staging, out);  // replaces an empty directory, atomically
        } catch (...) {
            fs::remove_all(staging, error);
            throw;
        }
    }

  private:
    static std::string lower(std::string s) {
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    }
    std::set<std::string> taken_;
    std::vector<std::pair<fs::path, std::string>> files_;
};

/// " by decision #12 of jury session J" when the record rests on a decision.
std::string decided_by(const ledger::AwardRecord& record) {
    if (!record.decision) return {};
    return " by decision #" + std::to_string(record.decision) + " of jury session " + printable(record.jury_session);
}

}  // namespace

int run_award(const std::string& db, const std::string& referentiel, const std::string& as_of,
              const std::string& candidate, const std::string& out_dir, const std::string& issuer_id,
              const std::string& issuer_name, const std::string& achievement_base_url,
              const std::string& subject_salt, bool no_verify, const std::string& checkpoint_path,
              const std::string& pubkey) {
    const auto date = Date::parse(as_of);
    if (!date) throw Error("--as-of '" + as_of + "' is not a date; write YYYY-MM-DD");
    if (out_dir.empty()) throw IoError("--out is empty; name a new directory for the records");
    if (!issuer_id.empty()) require_uri("--issuer-id", issuer_id, false);
    if (!achievement_base_url.empty()) require_uri("--achievement-base-url", achievement_base_url, true);
    const Referentiel ref = io::load_referentiel(referentiel);
    const ledger::Ledger store = open_existing_ledger(db);

    // No award from a ledger that does not verify (against its checkpoint when given).
    if (checkpoint_path.empty() != pubkey.empty())
        throw Error("--checkpoint and --pubkey go together: the checkpoint's signature is checked with the key");
    std::string rests_on;
    if (!checkpoint_path.empty()) {
        const std::string text = io::read_input(checkpoint_path);  // a regular file, within the limit
        const ledger::Checkpoint c = ledger::read_checkpoint(text, pubkey, checkpoint_path);
        if (no_verify) throw Error("--no-verify and --checkpoint contradict each other; give one");
        if (const auto problems = store.verify(&c); !problems.empty()) {
            std::cerr << "certigraph: " << db << " fails verification against " << checkpoint_path << " ("
                      << counted(problems.size(), "problem", "problems") << "): " << problems.front().problem
                      << "; no award written\n";
            return found;
        }
        rests_on = ledger::checkpoint_reference(c);
    } else {
        if (!verify_before_use(store, db, no_verify, std::cout)) return found;
        if (!no_verify) rests_on = ledger::checkpoint_reference(store.checkpoint()) + " (unsigned)";
    }

    std::vector<ledger::Event> all = candidate.empty() ? store.all_events_by_candidate() : store.events(candidate);
    if (all.empty())
        throw NotFound(candidate.empty() ? db + ": no event in the ledger"
                                         : "no event for candidate '" + printable(candidate) + "' in " + db);
    // Every event of the candidates counts, as in `certigraph eligibility`: blocs are
    // matched by their codes, and evidence (languages, periods, attributes) belongs to
    // the candidate whatever fiche it was recorded under.
    const auto answers = ledger::eligibility_of_all(ref, all, *date);

    ledger::BadgeOptions options;
    options.issuer_id = issuer_id;
    options.issuer_name = issuer_name;
    options.achievement_base_url = achievement_base_url;
    options.subject_salt = subject_salt;

    // A fresh directory: files of an earlier run (a certification since withdrawn by a
    // correction, say) must never sit beside this run's records.
    fs::path out = fs::path(out_dir).lexically_normal();
    if (out.filename().empty()) out = out.parent_path();  // "dir/" is "dir"
    std::error_code error;
    if (fs::exists(out, error) && (!fs::is_directory(out, error) || !fs::is_empty(out, error)))
        throw IoError(out_dir + ": exists and is not an empty directory; give --out a new directory "
                                "(earlier records and badges are not overwritten or mixed)");
    Files files;
    std::ostringstream report;  // printed once every file is written

    std::vector<ledger::AwardRecord> records;
    std::size_t certified = 0, badges = 0;
    // `all` is grouped by candidate in the answers' (sorted) order: walk both together.
    std::span<const ledger::Event> rest(all);
    for (const auto& answer : answers) {
        std::size_t n = 0;
        while (n < rest.size() && rest[n].candidate == answer.candidate) ++n;
        ledger::AwardRecord record = ledger::award_record(ref, answer, rest.first(n));
        rest = rest.subspan(n);
        record.ledger_head = store.head(answer.candidate);
        record.checkpoint = rests_on;
        if (record.blocs.empty() && !record.certified) {
            report << printable(answer.candidate) << ": nothing acquired as of " << date->to_string()
                      << ", no record\n";
            continue;
        }
        const std::string name = safe_name(answer.candidate);
        files.add("awards", name, answer.candidate, ledger::award_record_json(record));
        for (const auto& b : record.blocs)
            files.add("badges", name + "-" + safe_name(b.code), answer.candidate + '\n' + b.code,
                      ledger::bloc_credential_json(ref, record, b.code, options));
        badges += record.blocs.size();
        if (record.certified) {
            files.add("badges", name + "-certification", answer.candidate + "\ncertification",
                      ledger::certification_credential_json(ref, record, options));
            ++certified;
            ++badges;
            report << printable(answer.candidate) << ": certified " << record.fiche << " on "
                   << record.award_date.to_string() << decided_by(record) << ", "
                   << counted(record.blocs.size(), "bloc", "blocs") << " (" << record.blocs.size() + 1
                   << " credentials)\n";
        } else {
            report << printable(answer.candidate) << ": not certified "
                   << (record.decision ? "on " + record.award_date.to_string() + decided_by(record)
                                       : "as of " + date->to_string())
                   << "; "
                      << record.blocs.size() << " of " << ref.blocs().size()
                      << " blocs acquired (attestation, "
                      << counted(record.blocs.size(), "credential", "credentials") << ")\n";
        }
        records.push_back(std::move(record));
    }

    std::ostringstream csv;
    ledger::write_award_records_csv(csv, records, {settings().formula_guard});
    files.write(out, csv.str());
    std::cout << report.str() << "wrote " << (out / "awards.csv").string() << ": "
              << counted(records.size(), "record", "records") << " (" << certified << " certified), "
              << counted(badges, "unsigned credential", "unsigned credentials") << " in "
              << (out / "badges").string() << '\n';
    return ok;
}

}  // namespace certigraph::cli
