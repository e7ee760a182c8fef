#include "cli/common.hpp"

#include "core/csv.hpp"

#include <cctype>
#include <filesystem>
#include <iostream>

#include <ostream>

namespace certigraph::cli {

const char* plural(NodeKind kind) {
    switch (kind) {
        case NodeKind::bloc: return "blocs";
        case NodeKind::activity: return "activities";
        case NodeKind::competency: return "competencies";
        case NodeKind::criterion: return "criteria";
        case NodeKind::epreuve: return "epreuves";
        default: return "certifications";
    }
}

Settings& settings() {
    static Settings instance;
    return instance;
}

std::string csv_field(std::string_view text) { return detail::csv_field(text, settings().formula_guard); }

void set_dialect(io::EvaluationReadOptions& read, const std::string& delimiter, const std::string& encoding,
                 const std::string& decimal) {
    if (delimiter.empty()) read.delimiter = 0;
    else if (delimiter == "," || delimiter == ";") read.delimiter = delimiter[0];
    else if (delimiter == "tab" || delimiter == "\t" || delimiter == "\\t") read.delimiter = '\t';
    else throw Error("--delimiter '" + delimiter + "': use ',', ';' or tab");
    std::string e;
    for (char c : encoding) e += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    read.encoding = e == "windows-1252" ? io::Encoding::windows1252
                    : e == "latin-1"    ? io::Encoding::latin1
                                        : io::Encoding::utf8;
    read.decimal = decimal == "point"   ? io::DecimalMark::point
                   : decimal == "comma" ? io::DecimalMark::comma
                                        : io::DecimalMark::automatic;
}

std::string printable(std::string_view text, bool keep_newlines) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    auto byte = [&](unsigned char c) {
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
    };
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if ((c < 0x20 && !(keep_newlines && c == '\n')) || c == 0x7F) byte(c);
            else out += static_cast<char>(c);
            ++i;
            continue;
        }
        // A well-formed UTF-8 sequence (no overlong forms, no surrogates)?
        const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        char32_t cp = n == 4 ? c & 0x07u : n == 3 ? c & 0x0Fu : c & 0x1Fu;
        bool ok = n != 0 && c <= 0xF4 && i + n <= text.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto d = static_cast<unsigned char>(text[i + k]);
            ok = (d & 0xC0) == 0x80;
            cp = (cp << 6) | (d & 0x3Fu);
        }
        ok = ok && !(n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) &&
             !(n == 4 && (cp < 0x10000 || cp > 0x10FFFF));
        if (!ok) {
            byte(c);
            ++i;
            continue;
        }
        // C1 controls, bidirectional embeddings/overrides/isolates: shown, not obeyed.
        const bool control = (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
                             (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
        if (control) {
            out += "\\u{";
            for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
            out += '}';
        } else {
            out.append(text.substr(i, n));
        }
        i += n;
    }
    return out;
}

void require_uri(std::string_view option, std::string_view text, bool web) {
    auto fail = [&](const std::string& why) {
        throw Error(std::string(option) + " '" + printable(text) + "': " + why);
    };
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0)
        fail(web ? "not a URL; write https://host/path" : "not an absolute URI; write https://host/path or urn:...");
    const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(text[0])) fail("a URI scheme starts with a letter");
    for (char c : text.substr(0, colon))
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
            fail("the scheme (before ':') may hold only letters, digits, '+', '-' and '.'");
    // RFC 3986: unreserved, reserved and '%'; nothing else (no spaces, quotes, controls).
    static constexpr std::string_view allowed = "-._~:/?#[]@!$&'()*+,;=%";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool ok = alpha(c) || (c >= '0' && c <= '9') || allowed.find(c) != std::string_view::npos;
        if (!ok) fail("character " + std::to_string(i + 1) + " may not appear in a URI; percent-encode it");
        if (c == '%' && (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
                         !std::isxdigit(static_cast<unsigned char>(text[i + 2]))))
            fail("'%' at character " + std::to_string(i + 1) + " must start a %HH escape");
    }
    if (colon + 1 == text.size()) fail("nothing after the scheme");
    if (web) {
        std::string scheme(text.substr(0, colon));
        for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if ((scheme != "https" && scheme != "http") || text.substr(colon, 3) != "://")
            fail("not an http(s) URL; write https://host/path");
        const std::string_view rest = text.substr(colon + 3);
        const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
        if (host.empty() || host.find('@') != std::string_view::npos)
            fail("the URL needs a host (and no user name): write https://host/path");
        if (text.find_first_of("?#") != std::string_view::npos)
            fail("a base URL may not hold '?' or '#' (codes are appended to it)");
    }
}

ReferentielBuilder read_referentiel_file(const std::string& path, const std::string& format) {
    return io::read_referentiel_as(path, referentiel_format(path, format, "--input-format / --from"));
}

io::FileFormat referentiel_format(const std::string& path, const std::string& format, std::string_view option) {
    if (!format.empty()) {
        if (auto f = io::format_named(format)) return *f;
        throw Error(std::string(option) + " '" + format + "': use json, txt, xml or bin");
    }
    if (auto f = io::format_of(path)) return *f;
    if (path == "-")
        throw Error("-: standard input has no extension; say its format with " + std::string(option) +
                    " json|txt|xml|bin");
    throw IoError(path + ": unknown extension '" + std::filesystem::path(path).extension().string() +
                  "'; use .json, .txt (text archive), .xml (XML archive) or .bin (binary archive), or give " +
                  std::string(option));
}

std::vector<std::string> csv_fields(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c != '"') fields.back() += c;
            else if (i + 1 < line.size() && line[i + 1] == '"') fields.back() += line[++i];
            else quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    if (quoted) throw Error("unterminated quote in CSV line: " + std::string(line));
    return fields;
}

std::size_t display_width(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

std::string counted(std::size_t n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

std::string ellipsize(std::string_view text, std::size_t width) {
    std::string out;
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const bool starts_character = (c & 0xC0) != 0x80;
        if (starts_character && ++characters > width) {
            // Leave room for the ellipsis: drop the last character written.
            while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
                out.pop_back();
            if (!out.empty()) out.pop_back();
            return out + "…";
        }
        out += (c == '\n' || c == '\t') ? ' ' : text[i];
    }
    return out;
}

template <class T>
std::string node_counts(const T& nodes) {
    std::string out;
    for (NodeKind kind : counted_kinds) {
        if (!out.empty()) out += ", ";
        out += counted(nodes.count(kind), to_string(kind), plural(kind));
    }
    return out;
}
template std::string node_counts(const ReferentielBuilder&);
template std::string node_counts(const Referentiel&);

std::size_t print_diagnostics(std::ostream& out, const std::vector<Diagnostic>& diagnostics) {
    std::size_t errors = 0;
    for (const auto& d : diagnostics) {
        out << d << '\n';
        if (d.severity == Severity::error) ++errors;
    }
    out << errors << (errors == 1 ? " error, " : " errors, ") << diagnostics.size() - errors
        << (diagnostics.size() - errors == 1 ? " warning" : " warnings") << '\n';
    return errors;
}

GradingBasis grading_basis(const Referentiel& referentiel, const Policy& policy) {
    return {{referentiel.certification().code, "sha256:" + ledger::sha256_hex(io::referentiel_to_json(referentiel))},
            "sha256:" + ledger::sha256_hex(io::policy_to_json(policy))};
}

ledger::Event bloc_result_event(const GradingBasis& basis, std::string candidate, std::string bloc,
                                bool validated, Date date, std::string session, std::string evidence) {
    ledger::Event e;
    e.candidate = std::move(candidate);
    e.date = date;
    e.session = std::move(session);
    e.route = ledger::Route::exam;
    e.referentiel = basis.referentiel;
    e.policy_hash = basis.policy_hash;
    e.evidence = {std::move(evidence)};
    e.body = ledger::BlocResult{std::move(bloc), validated};
    return e;
}

ledger::Ledger open_existing_ledger(const std::string& db) {
    return ledger::Ledger::open(db);  // refuses a missing file or a non-ledger, without touching it
}

bool verify_before_use(const ledger::Ledger& store, const std::string& db, bool no_verify, std::ostream& out) {
    if (no_verify) {
        out << "warning: --no-verify: " << db
            << " was NOT verified; what follows rests on events that may have been altered\n";
        return true;
    }
    const auto problems = store.verify();
    if (problems.empty()) return true;
    std::cerr << "certigraph: " << db << " fails verification (" << counted(problems.size(), "problem", "problems")
              << "): " << problems.front().problem << "; nothing decided. See `certigraph ledger verify " << db
              << "`, or pass --no-verify to accept the risk\n";
    return false;
}

}  // namespace certigraph::cli
