// The RNCP XML export (flux v4.1), streamed with expat; fiche -> référentiel builder.
#include <certigraph/error.hpp>
#include <certigraph/interop/rncp.hpp>

#include "interop/html_text.hpp"
#include "interop/zip.hpp"

#include <expat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <memory>
#include <unordered_map>

namespace certigraph::interop::rncp {

namespace {

enum class Tag : std::uint8_t {
    other, fiches, fiche, id_fiche, numero_fiche, intitule, etat_fiche, actif, nomenclature_europe,
    niveau, certificateurs, certificateur, siret_certificateur, nom_certificateur,
    date_fin_enregistrement, date_limite_delivrance, date_effet, date_decision, date_de_publication,
    si_jury_fi, si_jury_ca, si_jury_fc, si_jury_cq, si_jury_cl, si_jury_vae, composition,
    anciennes_certifications, ancienne_certification, id_fiche_ancienne_certification,
    nouvelles_certifications, nouvelle_certification, id_fiche_nouvelle_certification,
    blocs_competences, bloc_competences, code, libelle, liste_competences, modalites_evaluation,
    correspondances, correspondance, source, destination,
};

const std::unordered_map<std::string_view, Tag>& tags() {
    static const std::unordered_map<std::string_view, Tag> map{
        {"FICHES", Tag::fiches}, {"FICHE", Tag::fiche}, {"ID_FICHE", Tag::id_fiche},
        {"NUMERO_FICHE", Tag::numero_fiche}, {"INTITULE", Tag::intitule}, {"ETAT_FICHE", Tag::etat_fiche},
        {"ACTIF", Tag::actif}, {"NOMENCLATURE_EUROPE", Tag::nomenclature_europe}, {"NIVEAU", Tag::niveau},
        {"CERTIFICATEURS", Tag::certificateurs}, {"CERTIFICATEUR", Tag::certificateur},
        {"SIRET_CERTIFICATEUR", Tag::siret_certificateur}, {"NOM_CERTIFICATEUR", Tag::nom_certificateur},
        {"DATE_FIN_ENREGISTREMENT", Tag::date_fin_enregistrement},
        {"DATE_LIMITE_DELIVRANCE", Tag::date_limite_delivrance}, {"DATE_EFFET", Tag::date_effet},
        {"DATE_DECISION", Tag::date_decision}, {"DATE_DE_PUBLICATION", Tag::date_de_publication},
        {"SI_JURY_FI", Tag::si_jury_fi}, {"SI_JURY_CA", Tag::si_jury_ca}, {"SI_JURY_FC", Tag::si_jury_fc},
        {"SI_JURY_CQ", Tag::si_jury_cq}, {"SI_JURY_CL", Tag::si_jury_cl}, {"SI_JURY_VAE", Tag::si_jury_vae},
        {"COMPOSITION", Tag::composition},
        {"ANCIENNES_CERTIFICATIONS", Tag::anciennes_certifications},
        {"ANCIENNE_CERTIFICATION", Tag::ancienne_certification},
        {"ID_FICHE_ANCIENNE_CERTIFICATION", Tag::id_fiche_ancienne_certification},
        {"NOUVELLES_CERTIFICATIONS", Tag::nouvelles_certifications},
        {"NOUVELLE_CERTIFICATION", Tag::nouvelle_certification},
        {"ID_FICHE_NOUVELLE_CERTIFICATION", Tag::id_fiche_nouvelle_certification},
        {"BLOCS_COMPETENCES", Tag::blocs_competences}, {"BLOC_COMPETENCES", Tag::bloc_competences},
        {"CODE", Tag::code}, {"LIBELLE", Tag::libelle}, {"LISTE_COMPETENCES", Tag::liste_competences},
        {"MODALITES_EVALUATION", Tag::modalites_evaluation}, {"CORRESPONDANCES", Tag::correspondances},
        {"CORRESPONDANCE", Tag::correspondance}, {"SOURCE", Tag::source}, {"DESTINATION", Tag::destination},
    };
    return map;
}

constexpr std::array<AccessRoute, 6> jury_routes{
    AccessRoute::student, AccessRoute::apprenticeship, AccessRoute::continuing_education,
    AccessRoute::professionalisation_contract, AccessRoute::individual_application, AccessRoute::vae};

int jury_slot(Tag t) {
    switch (t) {
    case Tag::si_jury_fi: return 0;
    case Tag::si_jury_ca: return 1;
    case Tag::si_jury_fc: return 2;
    case Tag::si_jury_cq: return 3;
    case Tag::si_jury_cl: return 4;
    case Tag::si_jury_vae: return 5;
    default: return -1;
    }
}

/// What the text of the element just closed is, from the elements around it.
enum class Field : std::uint8_t {
    none, id, code, title, state, active, level, certifier_siret, certifier_name, date_end,
    date_last_delivery, date_effect, date_decision, date_publication, jury_active, jury_composition,
    previous, next, bloc_code, bloc_title, bloc_competencies, bloc_assessment, source_bloc,
    destination_fiche, destination_bloc,
};

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

bool contains_word_nocase(std::string_view text, std::string_view word) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::size_t p = lower.find(word); p != std::string::npos; p = lower.find(word, p + 1)) {
        const bool start = p == 0 || !std::isalpha(static_cast<unsigned char>(lower[p - 1]));
        const std::size_t e = p + word.size();
        const bool end = e >= lower.size() || !std::isalpha(static_cast<unsigned char>(lower[e]));
        if (start && end) return true;
    }
    return false;
}

class XmlReader {
  public:
    XmlReader(const FicheHandler& handler, std::string_view source) : handler_(handler), source_(source) {
        parser_ = XML_ParserCreate("UTF-8");
        if (!parser_) throw std::bad_alloc();
        XML_SetUserData(parser_, this);
        XML_SetElementHandler(parser_, &XmlReader::on_start, &XmlReader::on_end);
        XML_SetCharacterDataHandler(parser_, &XmlReader::on_text);
    }
    ~XmlReader() { XML_ParserFree(parser_); }
    XmlReader(const XmlReader&) = delete;
    XmlReader& operator=(const XmlReader&) = delete;

    void run(std::istream& in, const Progress& progress, std::uint64_t total) {
        constexpr int chunk = 1 << 20;
        std::uint64_t done = 0;
        for (;;) {
            void* buffer = XML_GetBuffer(parser_, chunk);
            if (!buffer) throw std::bad_alloc();
            in.read(static_cast<char*>(buffer), chunk);
            const auto n = static_cast<int>(in.gcount());
            if (in.bad()) throw IoError("cannot read " + std::string(source_));
            const bool last = n == 0 || in.eof();
            done += static_cast<std::uint64_t>(n);
            if (XML_ParseBuffer(parser_, n, last) == XML_STATUS_ERROR) {
                if (error_) std::rethrow_exception(error_);
                if (stopped_) {
                    if (progress) progress(done, total);
                    return;
                }
                fail_here(std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser_)) +
                          "; the file is not a complete RNCP export (download it again)");
            }
            if (error_) std::rethrow_exception(error_);
            if (progress) progress(done, total);
            if (last) break;
        }
        if (!seen_root_) fail_at(1, 1, "no element: this is not an RNCP XML export");
    }

  private:
    [[noreturn]] void fail_at(std::size_t line, std::size_t column, const std::string& problem) const {
        throw ParseError(std::string(source_), line, column, "", problem);
    }
    [[noreturn]] void fail_here(const std::string& problem) const {
        fail_at(XML_GetCurrentLineNumber(parser_), XML_GetCurrentColumnNumber(parser_) + 1, problem);
    }

    /// Stops the parser with an error raised inside a callback (never throw through C).
    void stop_with(std::exception_ptr e) {
        if (!error_) error_ = std::move(e);
        XML_StopParser(parser_, XML_FALSE);
    }

    std::string path() const {
        std::string p;
        for (const auto n : names_) {
            if (!p.empty()) p += '/';
            p += n;
        }
        return p;
    }

    Tag at(std::size_t from_top) const {
        return from_top < stack_.size() ? stack_[stack_.size() - 1 - from_top] : Tag::other;
    }

    Field classify() const {
        const Tag t = at(0), p = at(1), g = at(2), gg = at(3);
        if (p == Tag::fiche) {
            switch (t) {
            case Tag::id_fiche: return Field::id;
            case Tag::numero_fiche: return Field::code;
            case Tag::intitule: return Field::title;
            case Tag::etat_fiche: return Field::state;
            case Tag::actif: return Field::active;
            case Tag::date_fin_enregistrement: return Field::date_end;
            case Tag::date_limite_delivrance: return Field::date_last_delivery;
            case Tag::date_effet: return Field::date_effect;
            case Tag::date_decision: return Field::date_decision;
            case Tag::date_de_publication: return Field::date_publication;
            default: return Field::none;
            }
        }
        if (t == Tag::niveau && p == Tag::nomenclature_europe && g == Tag::fiche) return Field::level;
        if (p == Tag::certificateur && g == Tag::certificateurs) {
            if (t == Tag::siret_certificateur) return Field::certifier_siret;
            if (t == Tag::nom_certificateur) return Field::certifier_name;
        }
        if (jury_slot(p) >= 0 && g == Tag::fiche) {
            if (t == Tag::actif) return Field::jury_active;
            if (t == Tag::composition) return Field::jury_composition;
        }
        if (t == Tag::id_fiche_ancienne_certification && p == Tag::ancienne_certification) return Field::previous;
        if (t == Tag::id_fiche_nouvelle_certification && p == Tag::nouvelle_certification) return Field::next;
        if (p == Tag::bloc_competences && g == Tag::blocs_competences && gg == Tag::fiche) {
            switch (t) {
            case Tag::code: return Field::bloc_code;
            case Tag::libelle: return Field::bloc_title;
            case Tag::liste_competences: return Field::bloc_competencies;
            case Tag::modalites_evaluation: return Field::bloc_assessment;
            default: return Field::none;
            }
        }
        if (t == Tag::code && p == Tag::bloc_competences && g == Tag::source && gg == Tag::correspondance)
            return Field::source_bloc;
        if (t == Tag::code && p == Tag::bloc_competences && g == Tag::destination && gg == Tag::correspondance)
            return Field::destination_bloc;
        if (t == Tag::numero_fiche && p == Tag::destination && g == Tag::correspondance)
            return Field::destination_fiche;
        return Field::none;
    }

    // After XML_StopParser expat may still call a handler (the end of an empty
    // element whose start stopped it): a stopped reader ignores every call.
    static void on_start(void* self, const XML_Char* name, const XML_Char**) {
        auto* r = static_cast<XmlReader*>(self);
        if (r->error_ || r->stopped_) return;
        try {
            r->start(name);
        } catch (...) {
            r->stop_with(std::current_exception());
        }
    }
    static void on_end(void* self, const XML_Char*) {
        auto* r = static_cast<XmlReader*>(self);
        if (r->error_ || r->stopped_ || r->stack_.empty()) return;
        try {
            r->end();
        } catch (...) {
            r->stop_with(std::current_exception());
        }
    }
    static void on_text(void* self, const XML_Char* s, int len) {
        auto* r = static_cast<XmlReader*>(self);
        if (r->capture_ != Field::none && !r->error_) r->text_.append(s, static_cast<std::size_t>(len));
    }

    void start(std::string_view name) {
        const auto it = tags().find(name);
        const Tag t = it == tags().end() ? Tag::other : it->second;
        if (!seen_root_) {
            seen_root_ = true;
            if (t != Tag::fiches)
                fail_here("the root element is <" + std::string(name) +
                          ">, not <FICHES>: this is not an RNCP XML export (flux v4.1)");
        }
        stack_.push_back(t);
        // Names of known elements point into the table (no allocation per element);
        // unknown ones never take part in an error message's path.
        names_.push_back(it == tags().end() ? std::string_view("*") : it->first);
        if (t == Tag::fiche && at(1) == Tag::fiches) {
            fiche_ = Fiche{};
            fiche_.line = XML_GetCurrentLineNumber(parser_);
            juries_ = {};
            in_fiche_ = true;
        }
        if (!in_fiche_) return;
        const Tag p = at(1);
        if (t == Tag::certificateur && p == Tag::certificateurs) fiche_.certifiers.emplace_back();
        if (t == Tag::bloc_competences && p == Tag::blocs_competences && at(2) == Tag::fiche)
            fiche_.blocs.emplace_back();
        if (t == Tag::correspondance) fiche_.correspondences.emplace_back();
        if (const int slot = jury_slot(t); slot >= 0 && p == Tag::fiche) juries_[slot] = Route{jury_routes[slot], false, {}};
        capture_ = classify();
        if (capture_ != Field::none) {
            text_.clear();
            text_line_ = XML_GetCurrentLineNumber(parser_);
            text_column_ = XML_GetCurrentColumnNumber(parser_) + 1;
        }
    }

    std::optional<Date> date(const std::string& v) const {
        if (v.empty()) return std::nullopt;
        auto bad = [&]() -> std::optional<Date> {
            fail_at(text_line_, text_column_,
                    "at " + path() + ": \"" + v + "\" is not a date JJ/MM/AAAA (e.g. 31/08/2029)");
        };
        if (v.size() != 10 || v[2] != '/' || v[5] != '/') return bad();
        for (std::size_t i : {0, 1, 3, 4, 6, 7, 8, 9})
            if (!std::isdigit(static_cast<unsigned char>(v[i]))) return bad();
        const auto d = Date::parse(v.substr(6, 4) + "-" + v.substr(3, 2) + "-" + v.substr(0, 2));
        if (!d) return bad();
        return d;
    }

    std::optional<bool> flag(const std::string& v) const {
        if (v.empty()) return std::nullopt;
        if (v == "Oui") return true;
        if (v == "Non") return false;
        fail_at(text_line_, text_column_, "at " + path() + ": \"" + v + "\" is neither Oui nor Non");
    }

    void end() {
        if (capture_ != Field::none) store(capture_, trim(text_));
        capture_ = Field::none;
        const Tag t = stack_.back();
        if (t == Tag::fiche && at(1) == Tag::fiches) finish_fiche();
        stack_.pop_back();
        names_.pop_back();
    }

    void store(Field f, std::string v) {
        using detail::clean_text;
        auto inline_text = [](const std::string& s) { return detail::layout(detail::mark(s), false); };
        switch (f) {
        case Field::none: break;
        case Field::id: fiche_.id = std::move(v); break;
        case Field::code: fiche_.code = std::move(v); break;
        case Field::title: fiche_.title = inline_text(v); break;
        case Field::state: fiche_.state = std::move(v); break;
        case Field::active: fiche_.active = flag(v); break;
        case Field::level:
            fiche_.level_code = v;
            if (v.size() == 4 && v.compare(0, 3, "NIV") == 0 && v[3] >= '1' && v[3] <= '8') fiche_.level = v[3] - '0';
            break;
        case Field::certifier_siret: if (!fiche_.certifiers.empty()) fiche_.certifiers.back().siret = std::move(v); break;
        case Field::certifier_name: if (!fiche_.certifiers.empty()) fiche_.certifiers.back().name = inline_text(v); break;
        case Field::date_end: fiche_.end_of_registration = date(v); break;
        case Field::date_last_delivery: fiche_.last_delivery = date(v); break;
        case Field::date_effect: fiche_.effect = date(v); break;
        case Field::date_decision: fiche_.decision = date(v); break;
        case Field::date_publication: fiche_.publication = date(v); break;
        case Field::jury_active:
            if (auto& j = juries_[static_cast<std::size_t>(jury_slot(at(1)))]) j->active = flag(v).value_or(false);
            break;
        case Field::jury_composition:
            if (auto& j = juries_[static_cast<std::size_t>(jury_slot(at(1)))]) j->composition = clean_text(v);
            break;
        case Field::previous: if (!v.empty()) fiche_.previous.push_back(std::move(v)); break;
        case Field::next: if (!v.empty()) fiche_.next.push_back(std::move(v)); break;
        // (A bloc or correspondence element is opened before its fields can be
        // classified as such, so back() exists; the checks keep it so for any input.)
        case Field::bloc_code: if (!fiche_.blocs.empty()) fiche_.blocs.back().code = std::move(v); break;
        case Field::bloc_title: if (!fiche_.blocs.empty()) fiche_.blocs.back().title = inline_text(v); break;
        case Field::bloc_competencies:
            if (!fiche_.blocs.empty()) fiche_.blocs.back().competencies = clean_text(v);
            break;
        case Field::bloc_assessment:
            if (!fiche_.blocs.empty()) fiche_.blocs.back().assessment = clean_text(v);
            break;
        case Field::source_bloc:
            if (!v.empty() && !fiche_.correspondences.empty())
                fiche_.correspondences.back().blocs.push_back(std::move(v));
            break;
        case Field::destination_fiche:
            if (!fiche_.correspondences.empty()) fiche_.correspondences.back().fiche = std::move(v);
            break;
        case Field::destination_bloc:
            if (!v.empty() && !fiche_.correspondences.empty())
                fiche_.correspondences.back().counterparts.push_back(std::move(v));
            break;
        }
    }

    void finish_fiche() {
        in_fiche_ = false;
        if (fiche_.code.empty())
            fail_at(fiche_.line, 1, "the FICHE of line " + std::to_string(fiche_.line) +
                                        " has no NUMERO_FICHE; every fiche needs its code");
        for (auto& j : juries_)
            if (j) fiche_.routes.push_back(std::move(*j));
        for (auto& b : fiche_.blocs) {
            if (b.code.empty())
                fail_at(fiche_.line, 1, "fiche " + fiche_.code + ": a BLOC_COMPETENCES without CODE");
            b.optional = contains_word_nocase(b.title, "facultatif");
            if (contains_word_nocase(b.title, "option")) b.option_group = "option";
        }
        for (const auto& k : fiche_.correspondences)
            if (k.fiche.empty())
                fail_at(fiche_.line, 1, "fiche " + fiche_.code +
                                            ": a CORRESPONDANCE without DESTINATION/NUMERO_FICHE");
        if (!handler_(std::move(fiche_))) {
            stopped_ = true;
            XML_StopParser(parser_, XML_FALSE);
        }
    }

    XML_Parser parser_ = nullptr;
    const FicheHandler& handler_;
    std::string_view source_;
    std::vector<Tag> stack_;
    std::vector<std::string_view> names_;
    Fiche fiche_;
    std::array<std::optional<Route>, 6> juries_{};
    bool in_fiche_ = false, seen_root_ = false, stopped_ = false;
    Field capture_ = Field::none;
    std::string text_;
    std::size_t text_line_ = 0, text_column_ = 0;
    std::exception_ptr error_;
};

}  // namespace

std::string_view jury_code(AccessRoute route) noexcept {
    constexpr std::array<std::string_view, 6> codes{"FI", "CA", "FC", "CQ", "CL", "VAE"};
    return codes[static_cast<std::size_t>(route)];
}

void read_xml(std::istream& in, const FicheHandler& on_fiche, std::string_view source, const Progress& progress,
              std::uint64_t total) {
    XmlReader(on_fiche, source).run(in, progress, total);
}

void read_xml_file(const std::filesystem::path& path, const FicheHandler& on_fiche, const Progress& progress) {
    if (detail::looks_like_zip(path)) {
        const detail::Zip zip(path);
        for (const auto& e : zip.entries()) {
            const std::string& n = e.name;
            if (n.size() > 4 && (n.ends_with(".xml") || n.ends_with(".XML"))) {
                auto in = zip.open(e);
                read_xml(*in, on_fiche, path.string() + ":" + n, progress, e.size);
                return;
            }
        }
        throw IoError(path.string() + " holds no .xml file; give the XML export (export-fiches-rncp-v4-1-*.zip)");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open " + path.string() + " for reading; check the path");
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    read_xml(in, on_fiche, path.string(), progress, ec ? 0 : size);
}

bool is_csv_export(const std::filesystem::path& path) {
    if (std::filesystem::is_directory(path)) return true;
    if (!detail::looks_like_zip(path)) return false;
    const detail::Zip zip(path);
    return std::none_of(zip.entries().begin(), zip.entries().end(),
                        [](const auto& e) { return e.name.ends_with(".xml") || e.name.ends_with(".XML"); });
}

std::optional<Fiche> find_fiche(const std::filesystem::path& path, std::string_view code, const Progress& progress) {
    std::optional<Fiche> found;
    auto keep = [&](Fiche&& f) {
        if (f.code != code) return true;
        found = std::move(f);
        return false;
    };
    if (is_csv_export(path)) {
        for (auto& f : read_csv_export(path))
            if (!keep(std::move(f))) break;
    } else {
        read_xml_file(path, keep, progress);
    }
    return found;
}

ReferentielBuilder to_builder(const Fiche& f) {
    ReferentielBuilder b;
    Certification c;
    c.code = f.code;
    c.title = f.title;
    c.level = f.level;
    c.certifiers = f.certifiers;
    c.dates.publication = f.publication;
    c.dates.start_of_paths = f.effect;
    c.dates.end_of_registration = f.end_of_registration;
    c.dates.last_delivery = f.last_delivery;
    for (const auto& r : f.routes) {
        if (!r.active) continue;
        c.access_routes.push_back(r.route);
        if (!r.composition.empty()) c.route_juries.push_back({r.route, r.composition});
    }
    c.previous = f.previous;
    c.next = f.next;
    b.certification(std::move(c));
    for (const auto& x : f.blocs) {
        b.add(Bloc{.code = x.code,
                   .title = x.title,
                   .description = x.competencies,
                   .optional = x.optional,
                   .option_group = x.option_group,
                   .assessment = x.assessment});
    }
    for (const auto& k : f.correspondences) {
        Correspondence corr;
        corr.blocs = k.blocs;
        corr.counterparts = k.counterparts;
        corr.kind = CorrespondenceKind::total;
        corr.note = "RNCP export";
        corr.fiche = k.fiche;
        b.add(std::move(corr));
    }
    return b;
}

}  // namespace certigraph::interop::rncp
