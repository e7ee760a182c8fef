// Référentiel archives: a one-line envelope (kind, payload size, FNV-1a 64
// checksum) around a Boost text, XML or binary archive of the content. The
// envelope turns truncation and corruption into clear errors before Boost reads
// a byte; the content is re-checked by the builder after loading.
#include <certigraph/error.hpp>
#include <certigraph/io/archive.hpp>

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

constexpr std::string_view magic = "certigraph-archive";
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
std::string payload_of(const detail::Snapshot& snapshot, ArchiveKind kind) {
    std::ostringstream out(std::ios::binary);
    {
        switch (kind) {
            case ArchiveKind::text: {
                boost::archive::text_oarchive ar(out);
                ar << boost::serialization::make_nvp("referentiel", snapshot);
                break;
            }
            case ArchiveKind::xml: {
                boost::archive::xml_oarchive ar(out);
                ar << boost::serialization::make_nvp("referentiel", snapshot);
                break;
            }
            case ArchiveKind::binary: {
                boost::archive::binary_oarchive ar(out);
                ar << boost::serialization::make_nvp("referentiel", snapshot);
                break;
            }
        }
    }  // archives write their closing tags when destroyed
    return std::move(out).str();
}

detail::Snapshot snapshot_of(const std::string& payload, ArchiveKind kind) {
    std::istringstream in(payload, std::ios::binary);
    detail::Snapshot snapshot;
    switch (kind) {
        case ArchiveKind::text: {
            boost::archive::text_iarchive ar(in);
            ar >> boost::serialization::make_nvp("referentiel", snapshot);
            break;
        }
        case ArchiveKind::xml: {
            boost::archive::xml_iarchive ar(in);
            ar >> boost::serialization::make_nvp("referentiel", snapshot);
            break;
        }
        case ArchiveKind::binary: {
            boost::archive::binary_iarchive ar(in);
            ar >> boost::serialization::make_nvp("referentiel", snapshot);
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

void save_archive(const Referentiel& referentiel, std::ostream& out, ArchiveKind kind) {
    const detail::Snapshot snapshot{detail::content_of(referentiel)};
    const std::string payload = payload_of(snapshot, kind);
    out << magic << ' ' << envelope_version << ' ' << to_string(kind) << ' ' << payload.size()
        << ' ' << hex(fnv1a64(payload)) << '\n';
    out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    out.flush();
    if (!out) throw IoError("could not write the " + std::string(to_string(kind)) + " archive");
}

ReferentielBuilder read_archive(std::istream& in, ArchiveKind kind, std::string_view source) {
    const std::string where(source);
    auto fail = [&](const std::string& problem) -> SerializationError {
        return SerializationError(where + ": " + problem);
    };
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw IoError(where + ": could not read the archive");

    const auto newline = bytes.find('\n');
    if (newline == std::string::npos || newline > 200)
        throw fail("not a certigraph archive (no header line); was it written by `certigraph convert`?");
    std::istringstream header(bytes.substr(0, newline));
    std::string word, kind_name, checksum;
    int version = 0;
    std::size_t size = 0;
    if (!(header >> word >> version >> kind_name >> size >> checksum) || word != magic)
        throw fail("not a certigraph archive (bad header line)");
    if (version != envelope_version)
        throw fail("archive envelope version " + std::to_string(version) +
                   " is not supported by this certigraph (reads " +
                   std::to_string(envelope_version) + "); upgrade certigraph");
    const auto found = kind_from_string(kind_name);
    if (!found) throw fail("unknown archive kind '" + kind_name + "'");
    if (*found != kind)
        throw fail("this is a " + kind_name + " archive, not a " + std::string(to_string(kind)) +
                   " one; give the file the matching extension (.txt, .xml, .bin)");
    const std::string payload = bytes.substr(newline + 1);
    if (payload.size() < size)
        throw fail("archive truncated: the header announces " + std::to_string(size) +
                   " bytes, found " + std::to_string(payload.size()));
    if (payload.size() > size)
        throw fail("archive has " + std::to_string(payload.size() - size) +
                   " unexpected bytes after its end");
    if (hex(fnv1a64(payload)) != checksum)
        throw fail("archive corrupted: checksum mismatch (expected " + checksum + ", computed " +
                   hex(fnv1a64(payload)) + ")");

    try {
        return detail::builder_of(snapshot_of(payload, kind).content);
    } catch (const SerializationError& e) {
        throw fail(e.what());
    } catch (const std::exception& e) {
        throw fail(std::string("unreadable archive: ") + e.what());
    }
}

Referentiel load_archive(std::istream& in, ArchiveKind kind, std::string_view source) {
    return read_archive(in, kind, source).build();
}

}  // namespace certigraph::io
