// Inputs and outputs: the one writer, the one reader, the CSV formula guard, the
// evaluation dialects, policy labels and the référentiel reader's linear time
// (docs/security.md, "Inputs and outputs"; docs/evaluations.md, "Dialects").
#include "support.hpp"

#include "core/csv.hpp"
#include "core/utf8.hpp"

#include <certigraph/grading/grader.hpp>
#include <certigraph/io/evaluations.hpp>
#include <certigraph/io/file.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace certigraph;
namespace fs = std::filesystem;

namespace {

std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

void put(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

Grader sample_grader() {
    return Grader(test::rncp40514(), io::load_policy(test::example("policies/rncp40514-default.json").string()));
}

}  // namespace

TEST_CASE("write_file writes, replaces and leaves nothing else", "[io][write]") {
    const test::TempDir temp{"certigraph-io-write"};
    const fs::path& dir = temp.path;
    const fs::path out = dir / "out.csv";
    io::write_file(out, "one\n");
    CHECK(test::read_file(out) == "one\n");
    io::write_file(out, "two\n");
    CHECK(test::read_file(out) == "two\n");
    CHECK(entries(dir) == 1);  // no temporary left
    io::write_file(out, [](std::ostream& o) { o << "three\n"; });
    CHECK(test::read_file(out) == "three\n");
    CHECK(entries(dir) == 1);
}

TEST_CASE("write_file never follows a pre-placed link", "[io][write]") {
    const test::TempDir temp{"certigraph-io-links"};
    const fs::path& dir = temp.path;
    const fs::path victim = dir / "victim";
    put(victim, "precious\n");
    // The old writer used OUT.tmp: a link planted there was followed.
    fs::create_symlink(victim, dir / "out.json.tmp");
    io::write_file(dir / "out.json", "new\n");
    CHECK(test::read_file(victim) == "precious\n");
    CHECK(test::read_file(dir / "out.json") == "new\n");
    // A target that is itself a link is refused, not replaced and not followed.
    fs::create_symlink(victim, dir / "link.json");
    CHECK_THROWS_WITH(io::write_file(dir / "link.json", "x"), Catch::Contains("is a symbolic link"));
    CHECK(test::read_file(victim) == "precious\n");
    CHECK(fs::is_symlink(dir / "link.json"));
}

TEST_CASE("write_file refuses non-regular targets and writes - to standard output", "[io][write]") {
    const test::TempDir temp{"certigraph-io-special"};
    const fs::path& dir = temp.path;
    CHECK_THROWS_WITH(io::write_file("/dev/null", "x"), Catch::Contains("/dev/null: exists and is a character device"));
    CHECK_THROWS_WITH(io::write_file("/dev/stdout", "x"), Catch::Contains("certigraph replaces only regular files"));
    CHECK_THROWS_WITH(io::write_file(dir, "x"), Catch::Contains("is a directory"));
    CHECK_THROWS_WITH(io::write_file("", "x"), Catch::Contains("an output path is empty"));
    CHECK_THROWS_WITH(io::write_file(dir / "missing" / "out.csv", "x"), Catch::Contains("create the directory first"));
    CHECK(entries(dir) == 0);
    CHECK_NOTHROW(io::write_file("-", ""));  // standard output, no file named "-"
    CHECK_FALSE(fs::exists("-"));
}

TEST_CASE("write_file: a failed write leaves the old file and no temporary", "[io][write]") {
    const test::TempDir temp{"certigraph-io-failed"};
    const fs::path& dir = temp.path;
    const fs::path out = dir / "out.csv";
    io::write_file(out, "old\n");
    // An exception while producing the content: nothing is created or changed.
    CHECK_THROWS_WITH(io::write_file(out, [](std::ostream& o) {
                          o << "partial";
                          throw Error("boom");
                      }),
                      "boom");
    CHECK_THROWS(io::write_file(dir / "never.csv", [](std::ostream&) { throw Error("boom"); }));
    CHECK(test::read_file(out) == "old\n");
    CHECK(entries(dir) == 1);
    // A write the system refuses (file size limit, as a full disk would): EFBIG.
    struct rlimit old_limit {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old_limit;
    small.rlim_cur = 1000;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    std::string message;
    try {
        io::write_file(out, std::string(100'000, 'x'));
    } catch (const IoError& e) {
        message = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    CHECK_THAT(message, Catch::Contains("out.csv: write failed") && Catch::Contains("the file was not changed"));
    CHECK(test::read_file(out) == "old\n");
    CHECK(entries(dir) == 1);
}

TEST_CASE("write_file refuses an output that is an input", "[io][write]") {
    const test::TempDir temp{"certigraph-io-inputs"};
    const fs::path& dir = temp.path;
    const fs::path input = dir / "in.csv";
    put(input, "data\n");
    const io::WriteOptions options{{input}, false};
    CHECK_THROWS_WITH(io::write_file(input, "x", options), Catch::Contains("is also an input of this command"));
    // The same file under another name (a hard link) or another spelling.
    fs::create_hard_link(input, dir / "alias.csv");
    CHECK_THROWS_WITH(io::write_file(dir / "alias.csv", "x", options), Catch::Contains("is also an input"));
    CHECK_THROWS_WITH(io::write_file(dir / "." / "in.csv", "x", options), Catch::Contains("is also an input"));
    CHECK(test::read_file(input) == "data\n");
    // Not existing yet: the same path is refused too.
    const io::WriteOptions future{{dir / "new.csv"}, false};
    CHECK_THROWS_WITH(io::write_file(dir / "sub" / ".." / "new.csv", "x", future), Catch::Contains("is also an input"));
    CHECK_NOTHROW(io::write_file(dir / "other.csv", "x", options));
}

TEST_CASE("write_file exclusive never overwrites", "[io][write]") {
    const test::TempDir temp{"certigraph-io-exclusive"};
    const fs::path& dir = temp.path;
    io::write_file(dir / "a.json", "first", {{}, true});
    CHECK_THROWS_WITH(io::write_file(dir / "a.json", "second", {{}, true}), Catch::Contains("is not overwritten"));
    CHECK(test::read_file(dir / "a.json") == "first");
    CHECK(entries(dir) == 1);
}

TEST_CASE("read_input reads regular files and refuses the rest at once", "[io][read]") {
    const test::TempDir temp{"certigraph-io-read"};
    const fs::path& dir = temp.path;
    put(dir / "a.json", "{}");
    CHECK(io::read_input(dir / "a.json") == "{}");
    CHECK_THROWS_WITH(io::read_input(dir), Catch::Contains("is a directory, not a regular file"));
    CHECK_THROWS_WITH(io::read_input("/dev/zero"), Catch::Contains("is a character device"));
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    // A FIFO with no writer: refused, not waited on.
    CHECK_THROWS_WITH(io::read_input(dir / "fifo"), Catch::Contains("is a FIFO"));
    CHECK_THROWS_WITH(io::load_policy((dir / "fifo").string()), Catch::Contains("is a FIFO"));
    CHECK_THROWS_WITH(io::read_referentiel(dir / "missing.json"), Catch::Contains("cannot open for reading"));
    // The size limit.
    put(dir / "big.json", std::string(5000, ' '));
    CHECK_THROWS_WITH(io::read_input(dir / "big.json", 4096), Catch::Contains("larger than the input limit of 4096"));
    const std::size_t old = io::max_input_bytes();
    io::set_max_input_bytes(100);
    CHECK_THROWS_WITH(io::read_referentiel(dir / "big.json"), Catch::Contains("--max-input-size"));
    io::set_max_input_bytes(old);
    const Grader grader = sample_grader();
    CHECK_THROWS_WITH(io::load_evaluations(grader, dir / "fifo"), Catch::Contains("is a FIFO"));
    CHECK_THROWS_WITH(io::load_evaluations(grader, "/dev/zero"), Catch::Contains("is a character device"));
}

TEST_CASE("the UTF-8 validator finds the first byte that starts no well-formed sequence", "[io][utf8]") {
    using detail::first_invalid_utf8;
    using detail::utf8_sequence_length;
    const std::size_t none = std::string_view::npos;
    CHECK(first_invalid_utf8("") == none);
    CHECK(first_invalid_utf8("ascii, é, €, \xF0\x9F\x98\x80 (U+1F600), \xF4\x8F\xBF\xBF (U+10FFFF)") == none);
    const std::string prefix(100, 'a');  // longer than simdjson's blocks: its check fails, the scan finds the place
    for (const auto& [bad, why] : std::vector<std::pair<std::string, const char*>>{
             {"\x80", "a continuation byte alone"},
             {"\xC0\xAF", "overlong '/'"},
             {"\xC1\xBF", "overlong two bytes"},
             {"\xE0\x80\xAF", "overlong three bytes"},
             {"\xF0\x80\x80\xAF", "overlong four bytes"},
             {"\xED\xA0\x80", "a surrogate"},
             {"\xF4\x90\x80\x80", "above U+10FFFF"},
             {"\xF5\x80\x80\x80", "F5 never starts a sequence"},
             {"\xE2\x82", "cut by the end"},
             {"\xE2\x82x", "cut by an ASCII byte"},
             {"\xE9t\xE9", "Latin-1"}}) {
        INFO(why);
        CHECK(first_invalid_utf8(bad) == 0);
        CHECK(utf8_sequence_length(bad, 0) == 0);
        CHECK(first_invalid_utf8(prefix + "\xC3\xA9" + bad + "z") == prefix.size() + 2);
    }
    CHECK(utf8_sequence_length("\xC3\xA9", 0) == 2);
    CHECK(utf8_sequence_length("\xE2\x82\xAC", 0) == 3);
    CHECK(utf8_sequence_length("\xF0\x9F\x98\x80", 0) == 4);
    // The encoder: 1 to 4 bytes, what is not a character as U+FFFD; the validator agrees.
    std::string out;
    for (char32_t c : {U'a', U'\u00E9', U'\u20AC', U'\U0001F600', U'\U0010FFFF'}) detail::append_utf8(out, c);
    CHECK(out == "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
    for (char32_t c : {char32_t{0}, char32_t{0xD800}, char32_t{0xDFFF}, char32_t{0x110000}}) {
        std::string replaced;
        detail::append_utf8(replaced, c);
        CHECK(replaced == "\xEF\xBF\xBD");
    }
    CHECK(first_invalid_utf8(out) == none);
}

TEST_CASE("CSV formula guard (OWASP) and its inverse", "[io][csv]") {
    using detail::csv_field;
    using detail::csv_unguard;
    CHECK(csv_field("=1+1") == "'=1+1");
    CHECK(csv_field("+33 cmd") == "'+33 cmd");
    CHECK(csv_field("-2+3") == "'-2+3");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("\tx") == "'\tx");
    CHECK(csv_field("\rx") == "\"'\rx\"");
    CHECK(csv_field("'quoted") == "''quoted");  // so that the guard can be undone
    CHECK(csv_field("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    // Plain numbers stay numbers.
    for (const char* number : {"-1.5", "+3", "-2e3", "-.5", "12", "-0"}) CHECK(csv_field(number) == number);
    for (const char* not_number : {"-", "+", "-1.5.2", "-e3", "-1e"}) CHECK(csv_field(not_number)[0] == '\'');
    CHECK(csv_field("C001") == "C001");
    CHECK(csv_field("a=b") == "a=b");
    // Off: as is.
    CHECK(csv_field("=1+1", false) == "=1+1");
    // Every guarded field comes back as it was.
    for (const char* text : {"=1+1", "'quoted", "''", "'", "-x", "@", "C001", "-1.5", "'-1.5"}) {
        const std::string written = csv_field(text);
        CHECK(csv_unguard(written.front() == '"' ? written.substr(1, written.size() - 2) : written) == text);
    }
}

TEST_CASE("every CSV the library writes is guarded", "[io][csv]") {
    ledger::AwardRecord record;
    record.fiche = "RNCP40514";
    record.holder.candidate = "=cmd|' /C calc'!A0";
    std::ostringstream guarded, raw;
    ledger::write_award_records_csv(guarded, std::span<const ledger::AwardRecord>(&record, 1));
    ledger::write_award_records_csv(raw, std::span<const ledger::AwardRecord>(&record, 1), {false});
    CHECK_THAT(guarded.str(), Catch::Contains(",'=cmd|' /C calc'!A0,"));
    CHECK_THAT(raw.str(), Catch::Contains(",=cmd|' /C calc'!A0,"));
}

TEST_CASE("a French Excel export grades exactly like its UTF-8 original", "[io][dialect]") {
    const Grader grader = sample_grader();
    const Cohort original = io::load_evaluations(grader, test::data("evaluations/dialects/rncp40514-fr-utf8.csv"));
    io::EvaluationReadOptions excel;
    excel.encoding = io::Encoding::windows1252;  // separator and decimal comma detected
    const Cohort french =
        io::load_evaluations(grader, test::data("evaluations/dialects/rncp40514-fr-excel.csv"), excel);
    REQUIRE(french.rows() == original.rows());
    REQUIRE(french.jurors() == original.jurors());
    CHECK(french.juror_names() == original.juror_names());
    CHECK(std::find(french.juror_names().begin(), french.juror_names().end(), "Mme Lefèvre") !=
          french.juror_names().end());
    const std::size_t n = original.rows() * original.criteria() * original.jurors();
    REQUIRE(french.criteria() == original.criteria());
    std::size_t different = 0;
    for (std::size_t r = 0; r < original.rows(); ++r)
        for (std::size_t k = 0; k < original.criteria(); ++k)
            for (std::size_t j = 0; j < original.jurors(); ++j) {
                const float a = original.value(r, k, j), b = french.value(r, k, j);
                different += original.mark(r, k, j) != french.mark(r, k, j) ||
                             !(a == b || (std::isnan(a) && std::isnan(b)));
            }
    CHECK(n > 400);
    CHECK(different == 0);
    const GradeResult a = grader.grade(original, {.details = true}), b = grader.grade(french, {.details = true});
    CHECK(a.bloc_status == b.bloc_status);
    CHECK(a.competency_status == b.competency_status);
    // Read as UTF-8, the Windows-1252 bytes are refused with their place.
    try {
        (void)io::load_evaluations(grader, test::data("evaluations/dialects/rncp40514-fr-excel.csv"));
        FAIL("read Windows-1252 as UTF-8");
    } catch (const InvalidInput& e) {
        CHECK_THAT(e.problems().front(), Catch::Contains("rncp40514-fr-excel.csv:2:30: byte 0xE8 is not UTF-8") &&
                                             Catch::Contains("--encoding windows-1252"));
    }
}

TEST_CASE("evaluation dialects: separators, decimal commas, encodings, bad bytes", "[io][dialect]") {
    const Grader grader = sample_grader();
    const Referentiel& ref = grader.referentiel();
    std::vector<Scale> scales;
    for (Index i = 0; i < ref.criteria().size(); ++i) scales.push_back(grader.scale_of_criterion(i));
    auto read = [&](std::string_view text, io::EvaluationReadOptions options = {}) {
        return io::read_evaluations(ref, scales, text, "t.csv", options);
    };
    const std::string header = "candidate,session,epreuve,criterion,juror,value\n";
    const Cohort comma = read(header + "C1,S,EP1,A1E1,J1,12.5\n");
    const Cohort semicolon = read("candidate;session;epreuve;criterion;juror;value\nC1;S;EP1;A1E1;J1;12,5\n");
    const Cohort tab = read("candidate\tsession\tepreuve\tcriterion\tjuror\tvalue\nC1\tS\tEP1\tA1E1\tJ1\t12,5\n");
    CHECK(semicolon.value(0, 0, 0) == comma.value(0, 0, 0));
    CHECK(tab.value(0, 0, 0) == comma.value(0, 0, 0));
    // A field holding the new separator is quoted on the way: "Dupont, Jean".
    const Cohort quoted = read("candidate;session;epreuve;criterion;juror;value\nDupont, Jean;S;EP1;A1E1;J1;12\n");
    CHECK(quoted.candidate(0) == "Dupont, Jean");
    // Latin-1 and Windows-1252 converted; bytes with no character refused with their place.
    io::EvaluationReadOptions latin1;
    latin1.encoding = io::Encoding::latin1;
    CHECK(read(header + "C1,S,EP1,A1E1,J\xE9r\xF4me,12\n", latin1).juror_names().front() == "Jérôme");
    io::EvaluationReadOptions cp1252;
    cp1252.encoding = io::Encoding::windows1252;
    CHECK(read(header + "C1,S,EP1,A1E1,\x80uro \x9C,12\n", cp1252).juror_names().front() == "€uro œ");
    CHECK_THROWS_WITH(read(header + "C1,S,EP1,A1E1,J\x81,12\n", cp1252),
                      Catch::Contains("t.csv:2:16: byte 0x81 is not a character in Windows-1252"));
    CHECK_THROWS_WITH(read(header + "C1,S,EP1,A1E1,J\x80,12\n", latin1),
                      Catch::Contains("t.csv:2:16: byte 0x80 is not a character in Latin-1"));
    // UTF-8 (the default): invalid bytes and NUL refused, columns in characters.
    CHECK_THROWS_WITH(read(header + "C1,S,EP1,A1E1,Jé\xFF,12\n"), Catch::Contains("t.csv:2:17: byte 0xFF is not UTF-8"));
    CHECK_THROWS_WITH(read(header + std::string("C1,S,EP1,A1E1,J\0,12\n", 20)),
                      Catch::Contains("t.csv:2:16: NUL byte"));
    CHECK_THROWS_WITH(read(header + "C1,S,EP1,A1E1,\xC0\xAF,12\n"), Catch::Contains("t.csv:2:15: byte 0xC0 is not UTF-8"));
    // A given separator wins over detection; a decimal comma needs another separator.
    io::EvaluationReadOptions commas;
    commas.delimiter = ',';
    CHECK_THROWS_WITH(read("candidate;session;epreuve;criterion;juror;value\nC1;S;EP1;A1E1;J1;12\n", commas),
                      Catch::Contains("looks like a ';'-separated file"));
    commas.decimal = io::DecimalMark::comma;
    CHECK_THROWS_WITH(read(header + "C1,S,EP1,A1E1,J1,12\n", commas), Catch::Contains("a decimal comma needs"));
}

TEST_CASE("an unrecognised header names the closest column", "[io][dialect]") {
    const Grader grader = sample_grader();
    const Referentiel& ref = grader.referentiel();
    std::vector<Scale> scales;
    for (Index i = 0; i < ref.criteria().size(); ++i) scales.push_back(grader.scale_of_criterion(i));
    CHECK_THROWS_WITH(io::read_evaluations(ref, scales, "candidate,sesion,epreuve,criterion,juror,value\n", "t.csv"),
                      Catch::Contains("t.csv:1:11:") && Catch::Contains("did you mean 'session'?"));
}

TEST_CASE("policy: duplicate or reserved scale labels are refused", "[io][policy]") {
    auto policy = [](const std::string& labels) {
        return R"({"format": "certigraph/policy", "format_version": 1, "referentiel": "RNCP40514",
                   "scales": {"o": {"kind": "ordinal", "labels": )" +
               labels + R"(, "proficiency": 1}}, "default_scale": "o"})";
    };
    CHECK_NOTHROW(io::policy_from_json(policy(R"(["a", "b"])"), "p.json"));
    CHECK_THROWS_WITH(io::policy_from_json(policy(R"(["x", "x"])"), "p.json"),
                      Catch::Contains("at /scales/o/labels/1: label 'x' repeats label 1"));
    CHECK_THROWS_WITH(io::policy_from_json(policy(R"(["Acquis", " acquis "])"), "p.json"),
                      Catch::Contains("repeats label 1"));
    CHECK_THROWS_WITH(io::policy_from_json(policy(R"(["a", "absent"])"), "p.json"),
                      Catch::Contains("the word for no mark"));
    CHECK_THROWS_WITH(io::policy_from_json(policy(R"(["", "b"])"), "p.json"), Catch::Contains("may not be empty"));
}

TEST_CASE("JSON errors have a place", "[io][json]") {
    CHECK_THROWS_WITH(io::parse_referentiel_json("{\"format\":\n  1e999}", "r.json"),
                      Catch::Contains("r.json:2:3: malformed JSON (in /format): number overflow parsing '1e999'"));
    CHECK_THROWS_WITH(io::policy_from_json("{\"a\": [1, -1e400]}", "p.json"),
                      Catch::Contains("p.json:1:11: malformed JSON (in /a/1): number overflow"));
}

TEST_CASE("the référentiel reader is linear: 1,000,000 criteria in seconds", "[io][json][slow]") {
    // tiny.json with a million more criteria under its first competency.
    std::string text = test::read_file(test::data("referentiels/tiny.json"));
    const std::string marker = "\"criteria\": [";
    const auto at = text.find(marker);
    REQUIRE(at != std::string::npos);
    std::string extra;
#if defined(__SANITIZE_ADDRESS__)
    constexpr std::size_t n = 100'000;  // sanitizers are ~10x slower: the size, not the time, is checked
#else
    constexpr std::size_t n = 1'000'000;
#endif
    extra.reserve(n * 60);
    for (std::size_t i = 0; i < n; ++i)
        extra += "{\"code\": \"X" + std::to_string(i) + "\", \"title\": \"t\", \"competency\": \"A1C1\"}, ";
    text.insert(at + marker.size(), extra);
    const auto start = std::chrono::steady_clock::now();
    const ReferentielBuilder builder = io::parse_referentiel_json(text, "big.json");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(builder.count(NodeKind::criterion) == n + 6);
    WARN("1,000,000 criteria (" << text.size() / 1'000'000 << " MB) read in " << seconds << " s");
#if !defined(__SANITIZE_ADDRESS__)
    CHECK(seconds < 60);  // quadratic reading never finished at 300,000
#endif
}
