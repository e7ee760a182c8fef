// Référentiel archives: a one-line envelope (kind, payload size, FNV-1a 64
// checksum) around a Boost text, XML or binary archive of the content. The
// envelope turns truncation and corruption into clear errors before Boost reads
// a byte; the content is re-checked by the builder after loading.
#include <certigraph/error.hpp>
#include <certigraph/io/archive.hpp>

#include "io/ledger_serialization.hpp"
#include "io/serialization.hpp"
#include "referentiel/content.hpp"

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <boost/archive/xml_iarchive.hpp>
#include <boost/archive/xml_oarchive.hpp>

#include <cstdio>
#include <iterator>
#include <istream>
#include <ostream>
#include <sstream>

namespace certigraph::io {

namespace {

constexpr std::string_view referentiel_magic = "certigraph-archive";
constexpr std::string_view results_magic = "certigraph-results";
constexpr std::string_view state_magic = "certigraph-ledger-state";
constexpr int envelope_version = 1;

std::uint64_t fnv1a64(std::string_view bytes) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string hex(std::uint64_t v) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(v));
    return buffer;
}

std::optional<ArchiveKind> kind_from_string(std::string_view name) {
    if (name == "text") return ArchiveKind::text;
    if (name == "xml") return ArchiveKind::xml;
    if (name == "binary") return ArchiveKind::binary;
    return std::nullopt;
}

// Boost archives without the library's own header line would be smaller, but the
// header carries Boost's format version, which lets Boost refuse archives from a
// future Boost it cannot read; keep it.
template <class Root>
std::string payload_of(const Root& snapshot, ArchiveKind kind, const char* root = "referentiel") {
    std::ostringstream out(std::ios::binary);
    {
        switch (kind) {
            case ArchiveKind::text: {
                boost::archive::text_oarchive ar(out);
                ar << boost::serialization::make_nvp(root, snapshot);
                break;
            }
            case ArchiveKind::xml: {
                boost::archive::xml_oarchive ar(out);
                ar << boost::serialization::make_nvp(root, snapshot);
                break;
            }
            case ArchiveKind::binary: {
                boost::archive::binary_oarchive ar(out);
                ar << boost::serialization::make_nvp(root, snapshot);
                break;
            }
        }
    }  // archives write their closing tags when destroyed
    return std::move(out).str();
}

template <class Root>
Root snapshot_of(const std::string& payload, ArchiveKind kind, const char* root = "referentiel") {
    std::istringstream in(payload, std::ios::binary);
    Root snapshot;
    switch (kind) {
        case ArchiveKind::text: {
            boost::archive::text_iarchive ar(in);
            ar >> boost::serialization::make_nvp(root, snapshot);
            break;
        }
        case ArchiveKind::xml: {
            boost::archive::xml_iarchive ar(in);
            ar >> boost::serialization::make_nvp(root, snapshot);
            break;
        }
        case ArchiveKind::binary: {
            boost::archive::binary_iarchive ar(in);
            ar >> boost::serialization::make_nvp(root, snapshot);
            break;
        }
    }
    return snapshot;
}

}  // namespace

std::string_view to_string(ArchiveKind kind) noexcept {
    switch (kind) {
        case ArchiveKind::text: return "text";
        case ArchiveKind::xml: return "xml";
        case ArchiveKind::binary: return "binary";
    }
    return "unknown";
}

namespace {

void write_envelope(std::ostream& out, std::string_view magic, ArchiveKind kind, const std::string& payload) {
    out << magic << ' ' << envelope_version << ' ' << to_string(kind) << ' ' << payload.size() << ' '
        << hex(fnv1a64(payload)) << '\n';
    out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    out.flush();
    if (!out) throw IoError("could not write the " + std::string(to_string(kind)) + " archive");
}

/// The payload after checking the header line, size and checksum.
std::string read_envelope(std::istream& in, std::string_view magic, ArchiveKind kind, const std::string& where) {
    auto fail = [&](const std::string& problem) { return SerializationError(where + ": " + problem); };
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw IoError(where + ": could not read the archive");

    const auto newline = bytes.find('\n');
    if (newline == std::string::npos || newline > 200)
        throw fail("not a certigraph archive (no header line); was it written by `certigraph convert`?");
    std::istringstream header(bytes.substr(0, newline));
    std::string word, kind_name, checksum;
    int version = 0;
    std::size_t size = 0;
    auto holds = [](std::string_view m) -> std::string {
        return m == results_magic ? "grading results" : m == state_magic ? "a ledger state" : "a référentiel";
    };
    if (!(header >> word >> version >> kind_name >> size >> checksum) ||
        (word != referentiel_magic && word != results_magic && word != state_magic))
        throw fail("not a certigraph archive (bad header line)");
    if (word != magic) throw fail("this archive holds " + holds(word) + ", not " + holds(magic));
    if (version != envelope_version)
        throw fail("archive envelope version " + std::to_string(version) +
                   " is not supported by this certigraph (reads " + std::to_string(envelope_version) +
                   "); upgrade certigraph");
    const auto found = kind_from_string(kind_name);
    if (!found) throw fail("unknown archive kind '" + kind_name + "'");
    if (*found != kind)
        throw fail("this is a " + kind_name + " archive, not a " + std::string(to_string(kind)) +
                   " one; give the file the matching extension (.txt, .xml, .bin)");
    std::string payload = bytes.substr(newline + 1);
    if (payload.size() < size)
        throw fail("archive truncated: the header announces " + std::to_string(size) + " bytes, found " +
                   std::to_string(payload.size()));
    if (payload.size() > size)
        throw fail("archive has " + std::to_string(payload.size() - size) + " unexpected bytes after its end");
    if (hex(fnv1a64(payload)) != checksum)
        throw fail("archive corrupted: checksum mismatch (expected " + checksum + ", computed " +
                   hex(fnv1a64(payload)) + ")");
    return payload;
}

}  // namespace

void save_archive(const Referentiel& referentiel, std::ostream& out, ArchiveKind kind) {
    const detail::Snapshot snapshot{detail::content_of(referentiel)};
    write_envelope(out, referentiel_magic, kind, payload_of(snapshot, kind));
}

ReferentielBuilder read_archive(std::istream& in, ArchiveKind kind, std::string_view source) {
    const std::string where(source);
    const std::string payload = read_envelope(in, referentiel_magic, kind, where);
    try {
        return detail::builder_of(snapshot_of<detail::Snapshot>(payload, kind).content);
    } catch (const SerializationError& e) {
        throw SerializationError(where + ": " + e.what());
    } catch (const std::exception& e) {
        throw SerializationError(where + ": unreadable archive: " + e.what());
    }
}

void save_results_archive(const GradeResult& result, const std::vector<std::string>& candidates,
                          const std::vector<std::string>& sessions, const std::vector<std::string>& blocs,
                          const std::vector<std::string>& competencies,
                          const std::vector<std::string>& criteria, std::ostream& out) {
    const detail::ResultsSnapshot snapshot{result, candidates, sessions, blocs, competencies, criteria};
    write_envelope(out, results_magic, ArchiveKind::text, payload_of(snapshot, ArchiveKind::text));
}

GradeResult load_results_archive(std::istream& in, std::vector<std::string>& candidates,
                                 std::vector<std::string>& sessions, std::vector<std::string>& blocs,
                                 std::vector<std::string>& competencies, std::vector<std::string>& criteria,
                                 std::string_view source) {
    const std::string where(source);
    const std::string payload = read_envelope(in, results_magic, ArchiveKind::text, where);
    try {
        detail::ResultsSnapshot s = snapshot_of<detail::ResultsSnapshot>(payload, ArchiveKind::text);
        const auto& r = s.result;
        const bool details = !r.criterion_status.empty();
        if (r.bloc_status.size() != r.rows * r.blocs || s.candidates.size() != r.rows ||
            s.sessions.size() != r.rows || s.blocs.size() != r.blocs ||
            (details && (r.criterion_status.size() != r.rows * r.criteria ||
                         r.criterion_value.size() != r.rows * r.criteria ||
                         r.competency_status.size() != r.rows * r.competencies)))
            throw SerializationError("the archive's arrays do not match its shape");
        candidates = std::move(s.candidates);
        sessions = std::move(s.sessions);
        blocs = std::move(s.blocs);
        competencies = std::move(s.competencies);
        criteria = std::move(s.criteria);
        return std::move(s.result);
    } catch (const SerializationError& e) {
        throw SerializationError(where + ": " + e.what());
    } catch (const std::exception& e) {
        throw SerializationError(where + ": unreadable archive: " + e.what());
    }
}

Referentiel load_archive(std::istream& in, ArchiveKind kind, std::string_view source) {
    return read_archive(in, kind, source).build();
}

void save_state_archive(const ledger::StateSnapshot& snapshot, std::ostream& out, ArchiveKind kind) {
    write_envelope(out, state_magic, kind, payload_of(snapshot, kind, "ledger_state"));
}

ledger::StateSnapshot load_state_archive(std::istream& in, ArchiveKind kind, std::string_view source) {
    const std::string where(source);
    const std::string payload = read_envelope(in, state_magic, kind, where);
    try {
        return snapshot_of<ledger::StateSnapshot>(payload, kind, "ledger_state");
    } catch (const SerializationError& e) {
        throw SerializationError(where + ": " + e.what());
    } catch (const std::exception& e) {
        throw SerializationError(where + ": unreadable archive: " + e.what());
    }
}

}  // namespace certigraph::io
