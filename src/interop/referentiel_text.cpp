// The référentiel table text (see referentiel_text.hpp and docs/interop.md).
#include <certigraph/error.hpp>
#include <certigraph/interop/referentiel_text.hpp>

#include "core/utf8.hpp"
#include "interop/html_text.hpp"

#include <array>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace certigraph::interop {

namespace {

using detail::is_blank;
using detail::layout;
using detail::mark;
using detail::skip_blank;

constexpr std::size_t columns = 4;  // activity, competency, modality, criterion
constexpr std::array<const char*, columns> column_names{"activity", "competency", "modality",
                                                        "criterion"};

/// 1-based column in characters of byte `offset` of `line`.
std::size_t char_column(std::string_view line, std::size_t offset) {
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < line.size(); ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
    return column;
}

char ascii_lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (ascii_lower(text[i]) != ascii_lower(prefix[i])) return false;
    return true;
}

/// A code such as "A1", "A1.2", "A1C10", "A1E6" at the start of marked text:
/// the code and the offset just after it.
std::optional<std::pair<std::string, std::size_t>> leading_code(std::string_view m) {
    const std::size_t start = skip_blank(m);
    std::size_t end = start;
    while (end < m.size() && !is_blank(m[end])) ++end;
    std::string_view token = m.substr(start, end - start);
    while (!token.empty() && (token.back() == '.' || token.back() == ':')) token.remove_suffix(1);
    if (token.empty() || token[0] < 'A' || token[0] > 'Z') return std::nullopt;
    bool digit = false;
    for (std::size_t i = 0; i < token.size(); ++i) {
        const char c = token[i];
        if (c >= '0' && c <= '9') digit = true;
        else if (c == '.') {
            if (token[i - 1] == '.') return std::nullopt;
        } else if (c < 'A' || c > 'Z') return std::nullopt;
    }
    if (!digit) return std::nullopt;
    return std::pair{std::string(token), end};
}

/// Drops a leading separator ("-", "–", ":") of a title after its code.
std::string_view drop_separator(std::string_view m) {
    std::size_t i = skip_blank(m);
    if (m.compare(i, 1, "-") == 0 || m.compare(i, 1, ":") == 0) ++i;
    else if (m.compare(i, 3, "\xE2\x80\x93") == 0) i += 3;  // en dash
    return m.substr(i);
}

bool is_upper_word(std::string_view w) {
    std::size_t letters = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(w[i]);
        if (c >= 'a' && c <= 'z') return false;
        if (c >= 'A' && c <= 'Z') ++letters;
        if (c == 0xC3 && i + 1 < w.size()) {
            const unsigned char d = static_cast<unsigned char>(w[i + 1]);
            if (d >= 0xA0) return false;  // à .. ÿ
            if (d >= 0x80 && d <= 0x9E && d != 0x97) ++letters;
            ++i;
        }
    }
    return letters >= 2;
}

void lower_word(std::string& w, bool keep_first) {
    for (std::size_t i = keep_first ? 1 : 0; i < w.size(); ++i) {
        unsigned char& c = reinterpret_cast<unsigned char&>(w[i]);
        if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
        else if (c == 0xC3 && i + 1 < w.size()) {
            unsigned char& d = reinterpret_cast<unsigned char&>(w[i + 1]);
            if (i == 0 && keep_first) {
                ++i;
                continue;
            }
            if (d >= 0x80 && d <= 0x9E && d != 0x97) d = static_cast<unsigned char>(d + 0x20);
            ++i;
        }
    }
}

/// "ETUDE DE CAS partie 2" -> "Etude de cas partie 2": a run of two or more words
/// in capitals is written in lower case (the title keeps its first capital).
/// Single words in capitals (acronyms: IA, POC) are kept.
std::string sentence_case(const std::string& title) {
    std::vector<std::string> words;
    std::istringstream in(title);
    for (std::string w; in >> w;) words.push_back(w);
    std::vector<bool> lower(words.size(), false);
    for (std::size_t i = 0; i < words.size();) {
        std::size_t j = i;
        while (j < words.size() && is_upper_word(words[j])) ++j;
        if (j - i >= 2)
            for (std::size_t k = i; k < j; ++k) lower[k] = true;
        i = j == i ? i + 1 : j;
    }
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (lower[i]) lower_word(words[i], i == 0);
        if (i) out += ' ';
        out += words[i];
    }
    return out;
}

struct ActivityRow {
    Activity node;
    std::string marked_title;
};
struct CompetencyRow {
    Competency node;
    std::string marked_title;
};
struct CriterionRow {
    Criterion node;
    std::string marked_title;
};
struct EpreuveRow {
    Epreuve node;
    std::string marked_modality;
};

class TextParser {
  public:
    TextParser(const ReferentielTextOptions& options, std::string_view source)
        : options_(options), source_(source) {}

    ReferentielBuilder parse(std::string_view text) {
        if (options_.fiche.empty())
            throw ParseError(std::string(source_), 0, 0, "",
                             "the table text does not carry the certification's code; give it "
                             "(e.g. --fiche RNCP40514)");
        if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
        if (const std::size_t bad = certigraph::detail::first_invalid_utf8(text); bad != std::string_view::npos) {
            const auto [line, column] = detail::line_column(text, bad);
            fail(line, column, "this is not UTF-8 text; save the file as UTF-8");
        }
        std::size_t line_no = 0;
        for (std::size_t pos = 0; pos <= text.size();) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(pos, end - pos);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            ++line_no;
            row(line, line_no);
            pos = end + 1;
        }
        if (blocs_.empty())
            fail(line_no, 1, "no \"BLOC n\" row: this is not a référentiel table (tab-separated "
                             "columns activity, competency, modality, criterion)");
        if (expect_title_)
            fail(line_no, 1, "the last BLOC row has no title row after it; add the bloc's title");
        return finish();
    }

  private:
    [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& problem) const {
        throw ParseError(std::string(source_), line, column, "", problem);
    }

    void row(std::string_view line, std::size_t line_no) {
        std::array<std::string, columns> m;
        std::array<std::size_t, columns> col{};
        std::array<bool, columns> blank{};
        std::size_t k = 0, start = 0;
        for (;; ++k) {
            std::size_t tab = line.find('\t', start);
            const std::string_view cell =
                line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
            std::string marked = mark(cell);
            const bool is_empty = skip_blank(marked) == marked.size();
            if (k >= columns) {
                if (!is_empty)
                    fail(line_no, char_column(line, start),
                         "a " + std::to_string(k + 1) +
                             "th cell; the table has 4 columns (activity, competency, modality, "
                             "criterion): remove it or merge it into its neighbour");
            } else {
                m[k] = std::move(marked);
                col[k] = char_column(line, start);
                blank[k] = is_empty;
            }
            if (tab == std::string_view::npos) break;
            start = tab + 1;
        }
        for (std::size_t i = k + 1; i < columns; ++i) blank[i] = true, col[i] = line.size() + 1;
        if (blank[0] && blank[1] && blank[2] && blank[3]) return;

        // Header rows, repeated before each bloc.
        bool header = true;
        for (std::size_t i = 0; i < columns; ++i) {
            if (blank[i]) continue;
            const std::string t = layout(m[i], false);
            if (!(starts_with_nocase(t, "REFERENTIEL D") || starts_with_nocase(t, "R\xC3\x89" "F\xC3\x89RENTIEL D") ||
                  starts_with_nocase(t, "MODALIT") || starts_with_nocase(t, "CRIT")))
                header = false;
        }
        if (header) return;

        // "BLOC n"
        const std::string first = blank[0] ? std::string() : layout(m[0], false);
        if (blank[1] && blank[2] && blank[3] && starts_with_nocase(first, "BLOC ")) {
            const std::string number = first.substr(5);
            if (number.empty() || number.size() > 2 ||
                number.find_first_not_of("0123456789") != std::string::npos)
                fail(line_no, col[0], "a bloc row reads \"BLOC n\" with n a number, not \"" + first + "\"");
            const int n = std::stoi(number);
            Bloc b;
            b.code = options_.fiche + "BC" + (n < 10 ? "0" : "") + std::to_string(n);
            blocs_.push_back(std::move(b));
            bloc_line_ = line_no;
            expect_title_ = true;
            activity_ = competency_ = criterion_ = epreuve_ = npos;
            return;
        }
        if (expect_title_) {
            if (blank[0] || !blank[1] || !blank[2] || !blank[3])
                fail(line_no, col[blank[0] ? 1 : 0],
                     "expected the title of the bloc of line " + std::to_string(bloc_line_) +
                         " alone in the first cell; put the title on the row after \"BLOC n\"");
            blocs_.back().title = first;
            expect_title_ = false;
            return;
        }
        if (blocs_.empty())
            fail(line_no, col[0], "a row before the first \"BLOC n\" row; start each bloc with its BLOC row");
        const std::string& bloc = blocs_.back().code;

        if (!blank[0]) activity_cell(m[0], bloc, line_no, col[0]);
        if (!blank[1]) competency_cell(m[1], bloc, line_no, col[1]);
        if (!blank[2]) modality_cell(m[2], line_no, col[2]);
        if (!blank[3]) criterion_cell(m[3], line_no, col[3]);
    }

    void continuation(std::string& marked, std::string_view more, std::size_t what, std::size_t line,
                      std::size_t column) {
        if (&marked == &dummy_)
            fail(line, column,
                 std::string("this ") + column_names[what] +
                     " cell has no code and nothing above it to continue; start it with its code");
        marked += ' ';
        marked += more;
    }

    void activity_cell(const std::string& m, const std::string& bloc, std::size_t line, std::size_t column) {
        const auto code = leading_code(m);
        if (!code) {
            continuation(activity_ == npos ? dummy_ : activities_[activity_].marked_title, m, 0, line, column);
            return;
        }
        ActivityRow a;
        a.node.code = code->first;
        const std::size_t dot = a.node.code.rfind('.');
        if (dot == std::string::npos) a.node.bloc = bloc;
        else a.node.parent = a.node.code.substr(0, dot);
        a.marked_title = std::string(drop_separator(std::string_view(m).substr(code->second)));
        activities_.push_back(std::move(a));
        activity_ = activities_.size() - 1;
    }

    void competency_cell(const std::string& m, const std::string& bloc, std::size_t line, std::size_t column) {
        const auto code = leading_code(m);
        if (!code) {
            continuation(competency_ == npos ? dummy_ : competencies_[competency_].marked_title, m, 1, line,
                         column);
            return;
        }
        CompetencyRow c;
        c.node.code = code->first;
        c.node.bloc = bloc;
        c.marked_title = std::string(drop_separator(std::string_view(m).substr(code->second)));
        competencies_.push_back(std::move(c));
        competency_ = competencies_.size() - 1;
        if (activity_ != npos) activities_[activity_].node.competencies.push_back(code->first);
    }

    /// A criterion belongs to the competency of its row, or to the last one above.
    void criterion_cell(const std::string& m, std::size_t line, std::size_t column) {
        const auto code = leading_code(m);
        if (!code) {
            continuation(criterion_ == npos ? dummy_ : criteria_[criterion_].marked_title, m, 3, line, column);
            return;
        }
        if (competency_ == npos)
            fail(line, column, "criterion " + code->first + " comes before any competency; put it on its competency's row");
        CriterionRow c;
        c.node.code = code->first;
        c.node.competency = competencies_[competency_].node.code;
        // Marks before the code (a list start) still apply to what follows it.
        c.marked_title = m.substr(0, skip_blank(m)) + m.substr(code->second);
        criteria_.push_back(std::move(c));
        criterion_ = criteria_.size() - 1;
    }

    void modality_cell(const std::string& m, std::size_t line, std::size_t column) {
        const std::size_t start = skip_blank(m);
        const std::string_view sv(m);
        const bool heading = starts_with_nocase(sv.substr(start), "evaluation") ||
                             starts_with_nocase(sv.substr(start), "\xC3\x89valuation") ||
                             sv.compare(start, 11, "\xC3\xA9valuation") == 0;
        if (!heading) {
            continuation(epreuve_ == npos ? dummy_ : epreuves_[epreuve_].marked_modality, m, 2, line, column);
            return;
        }
        // Evaluation <coverage> EPREUVE <n> - <title> : <modality>
        std::string folded(m);
        for (char& c : folded) c = ascii_lower(c);
        const std::size_t after_word = start + (m[start] == 'E' || m[start] == 'e' ? 10 : 11);
        const std::size_t p = folded.find("preuve", after_word);
        if (p == std::string::npos || p < 1)
            fail(line, column, "an \"Evaluation ...\" cell without \"EPREUVE n\"; write e.g. "
                               "\"Evaluation A1C1 à A1C9 EPREUVE 1 - Title : modality\"");
        std::size_t e_start = p - 1;  // 'E' or the two bytes of 'É'
        if (folded[e_start] != 'e') {
            if (p >= 2 && (folded.compare(p - 2, 2, "\xC3\x89") == 0 || folded.compare(p - 2, 2, "\xC3\xA9") == 0))
                e_start = p - 2;
            else
                fail(line, column, "an \"Evaluation ...\" cell without \"EPREUVE n\"");
        }
        const std::string coverage = layout(sv.substr(after_word, e_start - after_word), false);
        std::size_t i = p + 6;
        while (i < m.size() && m[i] == ' ') ++i;
        std::size_t digits = i;
        while (digits < m.size() && std::isdigit(static_cast<unsigned char>(m[digits]))) ++digits;
        if (digits == i || digits - i > 3)
            fail(line, column, "\"EPREUVE\" without its number; write \"EPREUVE 1\"");
        const std::string number(sv.substr(i, digits - i));
        const std::string_view rest = drop_separator(sv.substr(digits));
        // The title ends at a colon, at the end of its paragraph, or after a closing
        // parenthesis followed by a capitalised word.
        std::size_t title_end = rest.size(), modality_start = rest.size();
        for (std::size_t j = 0; j < rest.size(); ++j) {
            const char c = rest[j];
            if (c == ':' || c == detail::paragraph_end || c == detail::line_break || c == detail::list_start ||
                c == detail::list_item) {
                title_end = j;
                modality_start = c == ':' ? j + 1 : j;
                break;
            }
            if (c == ')') {
                const std::size_t next = skip_blank(rest, j + 1);
                if (next > j + 1 && next < rest.size() &&
                    ((rest[next] >= 'A' && rest[next] <= 'Z') ||
                     static_cast<unsigned char>(rest[next]) == 0xC3)) {
                    title_end = modality_start = j + 1;
                    break;
                }
            }
        }
        EpreuveRow e;
        e.node.code = "EP" + std::to_string(std::stoi(number));
        e.node.title = sentence_case(layout(rest.substr(0, title_end), false));
        if (e.node.title.empty())
            fail(line, column, "EPREUVE " + number + " has no title; write \"EPREUVE " + number + " - Title : ...\"");
        e.node.evaluates = parse_coverage(coverage, number, line, column);
        e.marked_modality = std::string(rest.substr(modality_start));
        epreuves_.push_back(std::move(e));
        epreuve_ = epreuves_.size() - 1;
    }

    /// "A1C1 à A1C9", "A1C10", "A1C1, A1C3 et A1C5", "A1C1-A1C4".
    std::vector<std::string> parse_coverage(const std::string& text, const std::string& number, std::size_t line,
                                            std::size_t column) {
        auto bad = [&](const std::string& why) {
            fail(line, column, "cannot read what EPREUVE " + number + " evaluates (\"" + text + "\"): " + why +
                                   "; write codes such as \"A1C1 à A1C9\" or \"A1C1, A1C2 et A1C4\"");
        };
        std::string spaced;
        for (char c : text) {
            if (c == ',' || c == ';') spaced += ' ';
            else spaced += c;
        }
        std::vector<std::string> out;
        bool range = false;
        std::istringstream in(spaced);
        for (std::string w; in >> w;) {
            std::string lw;
            for (char c : w) lw += ascii_lower(c);
            if (lw == "\xC3\xA0" || lw == "a" || lw == "au" || lw == "-" || lw == "\xE2\x80\x93") {
                if (out.empty() || range) bad("a range without its first code");
                range = true;
                continue;
            }
            if (lw == "et" || lw == "&") continue;
            // "A1C1-A1C4" written without spaces
            if (const auto dash = w.find('-'); dash != std::string::npos && dash > 0 && dash + 1 < w.size()) {
                add_code(out, w.substr(0, dash), range, bad);
                range = true;
                add_code(out, w.substr(dash + 1), range, bad);
                continue;
            }
            add_code(out, w, range, bad);
        }
        if (range) bad("a range without its last code");
        if (out.empty()) bad("no code");
        return out;
    }

    template <class Bad>
    static void add_code(std::vector<std::string>& out, const std::string& word, bool& range, const Bad& bad) {
        const auto code = leading_code(word);
        if (!code || code->first.size() + 1 < word.size()) bad("\"" + word + "\" is not a code");
        if (!range) {
            out.push_back(code->first);
            return;
        }
        range = false;
        auto split = [](const std::string& c) {
            std::size_t d = c.size();
            while (d > 0 && std::isdigit(static_cast<unsigned char>(c[d - 1]))) --d;
            // More than 6 digits is no code number (and would overflow stoi).
            return std::pair{c.substr(0, d), d < c.size() && c.size() - d <= 6 ? std::stoi(c.substr(d)) : -1};
        };
        const auto [from_prefix, from] = split(out.back());
        const auto [to_prefix, to] = split(code->first);
        if (from < 0 || to < 0 || from_prefix != to_prefix || to < from || to - from > 999)
            bad("\"" + out.back() + " à " + code->first + "\" is not a range of one kind of code");
        for (int n = from + 1; n <= to; ++n) out.push_back(from_prefix + std::to_string(n));
    }

    ReferentielBuilder finish() {
        ReferentielBuilder b;
        Certification c;
        c.code = options_.fiche;
        c.title = options_.title;
        b.certification(std::move(c));
        for (auto& x : blocs_) b.add(std::move(x));
        for (auto& x : activities_) {
            x.node.title = layout(x.marked_title, false);
            b.add(std::move(x.node));
        }
        for (auto& x : competencies_) {
            x.node.title = layout(x.marked_title, false);
            b.add(std::move(x.node));
        }
        for (auto& x : criteria_) {
            x.node.title = layout(x.marked_title, true);
            b.add(std::move(x.node));
        }
        for (auto& x : epreuves_) {
            x.node.modality = layout(x.marked_modality, true);
            b.add(std::move(x.node));
        }
        return b;
    }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    const ReferentielTextOptions& options_;
    std::string_view source_;
    std::vector<Bloc> blocs_;
    std::vector<ActivityRow> activities_;
    std::vector<CompetencyRow> competencies_;
    std::vector<CriterionRow> criteria_;
    std::vector<EpreuveRow> epreuves_;
    std::size_t activity_ = npos, competency_ = npos, criterion_ = npos, epreuve_ = npos;
    std::size_t bloc_line_ = 0;
    bool expect_title_ = false;
    std::string dummy_;
};

}  // namespace

ReferentielBuilder parse_referentiel_text(std::string_view text, const ReferentielTextOptions& options,
                                          std::string_view source) {
    return TextParser(options, source).parse(text);
}

ReferentielBuilder read_referentiel_text(const std::filesystem::path& path, const ReferentielTextOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open " + path.string() + " for reading; check the path");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw IoError("cannot read " + path.string());
    return parse_referentiel_text(buffer.str(), options, path.string());
}

std::string clean_html_text(std::string_view html) { return detail::clean_text(html); }

}  // namespace certigraph::interop
