// Reading the results CSV that `certigraph grade` writes, for `ledger record`.
#include "cli/common.hpp"

#include "core/csv.hpp"
#include "io/evaluations_dialect.hpp"

#include <map>
#include <sstream>
#include <utility>

namespace certigraph::cli {

GradesFile read_grades_csv(std::string_view text, const std::string& source, const Referentiel& ref,
                           const std::string& session) {
    io::detail::check_utf8(text, source, 10);  // ids become ledger events and JSON: text only
    std::istringstream in{std::string(text)};
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // `candidate,session,bloc,status` (grade's long layout) or, from before the session
    // column, `candidate,bloc,status`.
    const bool with_session = line == "candidate,session,bloc,status";
    if (!with_session && line != "candidate,bloc,status")
        throw Error(source + ":1: expected the header `candidate,session,bloc,status` that `certigraph grade "
                             "--layout long` writes (a wide results file cannot be recorded)");
    const std::size_t width = with_session ? 4 : 3;
    GradesFile file;
    // (candidate, bloc) -> the line that gave its status: a second line is refused.
    std::map<std::pair<std::string, std::string>, std::pair<std::size_t, std::string>> lines;
    for (std::size_t number = 2; std::getline(in, line); ++number) {
        if (line.empty() || line == "\r") continue;
        const std::string where = source + ":" + std::to_string(number) + ": ";
        std::vector<std::string> f;
        try {
            f = csv_fields(line);
        } catch (const Error& e) {
            throw Error(where + e.what());
        }
        if (f.size() != width)
            throw Error(where + "expected " + std::to_string(width) + " fields, as on line 1; found " +
                        std::to_string(f.size()));
        for (auto& field : f) field = detail::csv_unguard(std::move(field));  // undo the formula guard
        if (with_session) {
            if (f[1] != session)
                throw Error(where + "session '" + printable(f[1]) + "' is not --session '" + printable(session) +
                            "'; record one session at a time");
            f.erase(f.begin() + 1);
        }
        if (!ref.find(f[1]) || ref.find(f[1])->kind != NodeKind::bloc)
            throw Error(where + "'" + printable(f[1]) + "' is not a bloc of " + ref.certification().code);
        if (const auto [it, inserted] = lines.try_emplace({f[0], f[1]}, number, f[2]); !inserted)
            throw Error(where + "candidate '" + printable(f[0]) + "', bloc " + printable(f[1]) + " is " +
                        printable(f[2]) + " here and " + printable(it->second.second) + " on line " +
                        std::to_string(it->second.first) +
                        "; one status per candidate and bloc: fix the file (nothing was recorded)");
        if (f[2] == "incomplete" || f[2] == "exempt") {  // nothing decided: nothing to record
            ++file.skipped;
            continue;
        }
        if (f[2] != "validated" && f[2] != "not_validated")
            throw Error(where + "unknown status '" + printable(f[2]) +
                        "'; use validated, not_validated, incomplete or exempt");
        file.decided.push_back({f[0], f[1], f[2] == "validated", number});
    }
    return file;
}

}  // namespace certigraph::cli
