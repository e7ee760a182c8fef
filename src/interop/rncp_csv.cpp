// The RNCP CSV export: 10 `;`-separated files, in a zip or an extracted folder.
#include <certigraph/error.hpp>
#include <certigraph/interop/rncp.hpp>

#include "core/utf8.hpp"
#include "interop/html_text.hpp"
#include "interop/zip.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

namespace certigraph::interop::rncp {

namespace {

/// The parts of the export, by the start of their name's ASCII letters (zip names
/// with accents are not flagged UTF-8, so "Compétences" may arrive in any code page).
struct Part {
    std::string_view key;
    bool used;
};
constexpr std::array<Part, 10> parts{{{"standard", true},          {"blocsdecomp", true},
                                      {"anciennenouvelle", true},  {"voixdacc", true},
                                      {"certificateurs", true},    {"partenaires", false},
                                      {"rome", false},             {"nsf", false},
                                      {"formacode", false},        {"ccn", false}}};

std::string part_key(std::string_view file_name) {
    const auto slash = file_name.find_last_of('/');
    if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
    const std::string_view prefix = "export_fiches_CSV_";
    if (file_name.size() < prefix.size()) return {};
    std::string a(file_name.substr(0, prefix.size())), b(prefix);
    for (auto& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (a != b) return {};
    std::string key;
    for (char c : file_name.substr(prefix.size()))
        if (std::isalpha(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80)
            key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;  // e.g. "blocsdecomptencescsv" (the date's digits dropped)
}

struct Table {
    std::string source;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines;

    std::size_t column(std::string_view name) const {
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (header[i].size() != name.size()) continue;
            bool same = true;
            for (std::size_t k = 0; k < name.size() && same; ++k)
                same = std::tolower(static_cast<unsigned char>(header[i][k])) ==
                       std::tolower(static_cast<unsigned char>(name[k]));
            if (same) return i;
        }
        throw ParseError(source, 1, 1, "",
                         "no column \"" + std::string(name) + "\" in the header; this is not the RNCP CSV export "
                         "(see docs/interop.md for its columns)");
    }
};

/// `;`-separated, fields optionally double-quoted ("" inside), CRLF or LF, BOM skipped.
Table parse_csv(std::string_view text, std::string source) {
    Table t;
    t.source = std::move(source);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (const std::size_t bad = certigraph::detail::first_invalid_utf8(text); bad != std::string_view::npos) {
        const auto [l, c] = detail::line_column(text, bad);
        throw ParseError(t.source, l, c, "", "this is not UTF-8 text; the RNCP export is UTF-8, download it again");
    }
    std::size_t i = 0, line = 1;
    std::vector<std::string> row;
    std::string field;
    bool first = true;
    while (i < text.size()) {
        const std::size_t row_line = line;
        row.clear();
        for (;;) {
            field.clear();
            if (i < text.size() && text[i] == '"') {
                const std::size_t open_line = line, open_col = i;
                ++i;
                for (;;) {
                    if (i >= text.size())
                        throw ParseError(t.source, open_line, open_col + 1, "",
                                         "a quoted field is not closed; add the closing \"");
                    if (text[i] == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (text[i] == '\n') ++line;
                    field += text[i++];
                }
                if (i < text.size() && text[i] != ';' && text[i] != '\r' && text[i] != '\n')
                    throw ParseError(t.source, line, 1, "",
                                     "text after a closing quote; quote the whole field and double inner quotes");
            } else {
                while (i < text.size() && text[i] != ';' && text[i] != '\r' && text[i] != '\n') field += text[i++];
            }
            row.push_back(field);
            if (i < text.size() && text[i] == ';') {
                ++i;
                continue;
            }
            break;
        }
        if (i < text.size() && text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i, ++line;
        if (row.size() == 1 && row[0].empty()) continue;  // blank line
        if (first) {
            t.header = row;
            first = false;
            continue;
        }
        if (row.size() != t.header.size())
            throw ParseError(t.source, row_line, 1, "",
                             std::to_string(row.size()) + " fields where the header has " +
                                 std::to_string(t.header.size()) + "; check the separators (;) and quotes");
        t.rows.push_back(row);
        t.lines.push_back(row_line);
    }
    if (first) throw ParseError(t.source, 1, 1, "", "empty file; the part has no header row");
    return t;
}

std::string trimmed(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;  // SIRET columns start with a TAB
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::optional<Date> csv_date(const Table& t, std::size_t row, std::size_t col) {
    const std::string v = trimmed(t.rows[row][col]);
    if (v.empty()) return std::nullopt;
    std::optional<Date> d;
    if (v.size() == 10 && v[2] == '/' && v[5] == '/')
        d = Date::parse(v.substr(6, 4) + "-" + v.substr(3, 2) + "-" + v.substr(0, 2));
    if (!d)
        throw ParseError(t.source, t.lines[row], 1, "",
                         "column " + t.header[col] + ": \"" + v + "\" is not a date JJ/MM/AAAA");
    return d;
}

std::optional<AccessRoute> route_of_label(std::string_view label) {
    // The CSV's Si_Jury labels (the apostrophes are typographic in the real file).
    auto has = [&](std::string_view w) { return label.find(w) != std::string_view::npos; };
    if (has("statut d")) return AccessRoute::student;
    if (has("apprentissage")) return AccessRoute::apprenticeship;
    if (has("formation continue")) return AccessRoute::continuing_education;
    if (has("professionnalisation")) return AccessRoute::professionalisation_contract;
    if (has("candidature individuelle")) return AccessRoute::individual_application;
    if (has("exp\xC3\xA9rience")) return AccessRoute::vae;
    return std::nullopt;
}

}  // namespace

std::vector<Fiche> read_csv_export(const std::filesystem::path& path) {
    std::map<std::string, Table> tables;  // by part key
    auto take = [&](const std::string& name, std::string text, std::string source) {
        const std::string key = part_key(name);
        for (const auto& p : parts)
            if (!key.empty() && key.compare(0, p.key.size(), p.key) == 0) {
                if (tables.count(std::string(p.key)))
                    throw IoError(source + ": a second file of part " + std::string(p.key) +
                                  "; keep one export per folder");
                tables.emplace(std::string(p.key), parse_csv(text, std::move(source)));
            }
    };
    if (std::filesystem::is_directory(path)) {
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(path))
            if (e.is_regular_file() && e.path().extension() == ".csv") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            std::ostringstream s;
            s << in.rdbuf();
            if (!in) throw IoError("cannot read " + f.string());
            take(f.filename().string(), s.str(), f.string());
        }
    } else {
        if (!std::filesystem::exists(path)) throw IoError("cannot open " + path.string() + "; check the path");
        const detail::Zip zip(path);
        for (const auto& e : zip.entries())
            if (e.name.size() > 4 && e.name.ends_with(".csv"))
                take(e.name, zip.read(e), path.string() + ":" + e.name);
    }
    for (const auto& p : parts)
        if (!tables.count(std::string(p.key)))
            throw IoError(path.string() + ": no export_fiches_CSV_" + std::string(p.key) +
                          "... file; the CSV export has 10 files (see docs/interop.md)");

    std::vector<Fiche> fiches;
    std::unordered_map<std::string, std::size_t> index;
    {
        const Table& t = tables.at("standard");
        const std::size_t id = t.column("Id_Fiche"), code = t.column("Numero_Fiche"), title = t.column("Intitule"),
                          level = t.column("Nomenclature_Europe_Niveau"), decision = t.column("Date_Decision"),
                          end = t.column("Date_Fin_Enregistrement"), effect = t.column("Date_Effet"),
                          active = t.column("Actif");
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            Fiche f;
            f.id = trimmed(t.rows[r][id]);
            f.code = trimmed(t.rows[r][code]);
            if (f.code.empty())
                throw ParseError(t.source, t.lines[r], 1, "", "column Numero_Fiche is empty; every fiche needs its code");
            if (index.count(f.code))
                throw ParseError(t.source, t.lines[r], 1, "", "fiche " + f.code + " is listed twice");
            f.title = detail::layout(detail::mark(t.rows[r][title]), false);
            f.level_code = trimmed(t.rows[r][level]);
            if (f.level_code.size() == 4 && f.level_code.compare(0, 3, "NIV") == 0 && f.level_code[3] >= '1' &&
                f.level_code[3] <= '8')
                f.level = f.level_code[3] - '0';
            f.decision = csv_date(t, r, decision);
            f.end_of_registration = csv_date(t, r, end);
            f.effect = csv_date(t, r, effect);
            const std::string a = trimmed(t.rows[r][active]);
            if (a == "ACTIVE") f.active = true;
            else if (a == "INACTIVE") f.active = false;
            else if (!a.empty())
                throw ParseError(t.source, t.lines[r], 1, "", "column Actif: \"" + a + "\" is neither ACTIVE nor INACTIVE");
            index.emplace(f.code, fiches.size());
            fiches.push_back(std::move(f));
        }
    }
    // Rows of the other parts naming a fiche the Standard file does not list are skipped.
    auto fiche_of = [&](const Table& t, std::size_t r, std::size_t col) -> Fiche* {
        const auto it = index.find(trimmed(t.rows[r][col]));
        return it == index.end() ? nullptr : &fiches[it->second];
    };
    {
        const Table& t = tables.at("blocsdecomp");
        const std::size_t code = t.column("Numero_Fiche"), bc = t.column("Bloc_Competences_Code"),
                          title = t.column("Bloc_Competences_Libelle");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            if (Fiche* f = fiche_of(t, r, code)) {
                FicheBloc b;
                b.code = trimmed(t.rows[r][bc]);
                if (b.code.empty())
                    throw ParseError(t.source, t.lines[r], 1, "", "column Bloc_Competences_Code is empty");
                b.title = detail::layout(detail::mark(t.rows[r][title]), false);
                std::string lower = b.title;
                for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                b.optional = lower.find("facultatif") != std::string::npos;
                f->blocs.push_back(std::move(b));
            }
    }
    {
        const Table& t = tables.at("anciennenouvelle");
        const std::size_t code = t.column("Numero_Fiche"), old = t.column("Ancienne_Certification"),
                          next = t.column("Nouvelle_Certification");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            if (Fiche* f = fiche_of(t, r, code)) {
                if (auto v = trimmed(t.rows[r][old]); !v.empty()) f->previous.push_back(v);
                if (auto v = trimmed(t.rows[r][next]); !v.empty()) f->next.push_back(v);
            }
    }
    {
        const Table& t = tables.at("voixdacc");
        const std::size_t code = t.column("Numero_Fiche"), label = t.column("Si_Jury");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            if (Fiche* f = fiche_of(t, r, code)) {
                const auto route = route_of_label(t.rows[r][label]);
                if (!route)
                    throw ParseError(t.source, t.lines[r], 1, "",
                                     "column Si_Jury: unknown access route \"" + t.rows[r][label] + "\"");
                f->routes.push_back({*route, true, {}});
            }
    }
    {
        const Table& t = tables.at("certificateurs");
        const std::size_t code = t.column("Numero_Fiche"), siret = t.column("Siret_Certificateur"),
                          name = t.column("Nom_Certificateur");
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            if (Fiche* f = fiche_of(t, r, code))
                f->certifiers.push_back({detail::layout(detail::mark(t.rows[r][name]), false), trimmed(t.rows[r][siret])});
    }
    for (auto& f : fiches) {
        std::stable_sort(f.routes.begin(), f.routes.end(),
                         [](const Route& a, const Route& b) { return a.route < b.route; });
        // Option blocs, as in the XML.
        for (auto& b : f.blocs) {
            std::string lower = b.title;
            for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            for (std::size_t p = lower.find("option"); p != std::string::npos; p = lower.find("option", p + 1)) {
                const bool start = p == 0 || !std::isalpha(static_cast<unsigned char>(lower[p - 1]));
                const bool end = p + 6 >= lower.size() || !std::isalpha(static_cast<unsigned char>(lower[p + 6]));
                if (start && end) b.option_group = "option";
            }
        }
    }
    return fiches;
}

}  // namespace certigraph::interop::rncp
