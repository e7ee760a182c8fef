// Private to the command-line tool: `certigraph jury …`.
#pragma once

#include <certigraph/jury/deliberation.hpp>

#include <string>

namespace certigraph::cli {

/// What `jury decide` was given.
struct JuryDecideArguments {
    std::string session, from, candidate, bloc, verdict, reason, votes, casting_vote, withhold, referentiel, out;
    bool confirm_rest = false;
};

jury::Session read_session_file(const std::string& path);
/// The graded session a session file names (paths relative to the file's folder).
jury::GradedSession load_graded(const jury::Session& session, const std::string& path, const std::string& referentiel);

int run_jury_check(const std::string& session, const std::string& format);
int run_jury_grid(const std::string& session, const std::string& referentiel, const std::string& format,
                  const std::string& explain);
int run_jury_decide(const JuryDecideArguments& arguments);
int run_jury_seal(const std::string& session, const std::string& db, const std::string& out,
                  const std::string& referentiel, bool no_verify);
int run_jury_pv(const std::string& input, const std::string& out, const std::string& format,
                const std::string& db, const std::string& referentiel, bool one_page_per_candidate);

}  // namespace certigraph::cli
