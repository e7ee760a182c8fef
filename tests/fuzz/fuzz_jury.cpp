// libFuzzer harness for the jury's readers (tests/fuzz/run.sh SECONDS jury): the input
// is a jury session file or a sealed record (`certigraph/jury-record`). Each must be
// read or refused with a certigraph::Error. A session read must write back to JSON that
// reads again to an equal session, and its composition check must run; a record read
// must write back to a record that reads again to the same canonical JSON and hash.
#include <certigraph/certigraph.hpp>
#include <certigraph/jury/pv.hpp>

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

using namespace certigraph;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const jury::Session session = jury::read_session(text, "fuzz");
        const std::string written = jury::session_to_json(session);
        try {
            if (!(jury::read_session(written, "written") == session)) std::abort();
        } catch (const Error&) {
            std::abort();  // what was read must be written readably
        }
        const auto report = jury::check_composition(session);
        if (report.juries.size() != session.candidates.size()) std::abort();
    } catch (const Error&) {
    }
    try {
        const jury::Record record = jury::read_record(text, "fuzz");
        const std::string written = jury::record_to_json(record);
        try {
            const jury::Record again = jury::read_record(written, "written");
            if (jury::canonical_json(again) != jury::canonical_json(record) || again.hash != record.hash) std::abort();
        } catch (const Error&) {
            std::abort();
        }
        // The procès-verbal of anything that reads is written without failing.
        (void)jury::pv_html(record);
        (void)jury::pv_json(record);
        std::ostringstream csv;
        jury::write_pv_csv(csv, record);
    } catch (const Error&) {
    }
    return 0;
}
