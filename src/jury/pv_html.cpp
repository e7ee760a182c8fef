// The procès-verbal as a self-contained printable HTML page, in French (docs/jury.md,
// "Procès-verbal"). Everything from the record is data: HTML-escaped in the body,
// CSS-escaped in the print stylesheet's running header and footer. No script, no URL.
#include <certigraph/jury/pv.hpp>

#include "core/html.hpp"
#include "jury/pv_common.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::jury {
namespace {

using pv_detail::find_member;

// --- Text helpers --------------------------------------------------------------

/// A CSS string literal's content: every character other than a letter, a digit, a
/// space or a few safe marks as a hexadecimal escape, so that no text can close the
/// string, the rule or the <style> element. UTF-8 sequences pass as they are (their
/// bytes are all >= 0x80 and cannot end anything).
std::string css_string(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == ' ' || c == '-' || c == '_' || c == '.' || c == ':' || c == ',' || c >= 0x80;
        if (safe) {
            out += static_cast<char>(c);
        } else {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\%x ", c);
            out += buffer;
        }
    }
    return out + '"';
}

/// "30 juin 2026", "1er mai 2026".
std::string french_date(const Date& date) {
    static constexpr std::array<const char*, 12> months{"janvier", "février", "mars",      "avril",
                                                        "mai",     "juin",    "juillet",   "août",
                                                        "septembre", "octobre", "novembre", "décembre"};
    std::string out = std::to_string(date.day());
    if (date.day() == 1) out += "er";
    out += ' ';
    out += months[date.month() - 1];
    out += ' ';
    out += std::to_string(date.year());
    return out;
}

/// A margin as a French decimal: at most two decimals, no trailing zero, a sign.
std::string french_margin(double margin) {
    if (!std::isfinite(margin)) return "—";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", std::fabs(margin));
    std::string digits = buffer;
    while (digits.back() == '0') digits.pop_back();
    if (digits.back() == '.') digits.pop_back();
    if (digits == "0") return "0";
    for (char& c : digits)
        if (c == '.') c = ',';
    return (margin < 0 ? "−" : "+") + digits;  // U+2212, the typographic minus
}

std::string_view status_fr(Status status) {
    switch (status) {
        case Status::validated: return "validé";
        case Status::not_validated: return "non validé";
        case Status::incomplete: return "incomplet";
        case Status::exempt: return "dispensé";
    }
    return "inconnu";
}

std::string_view route_fr(ledger::Route route) {
    switch (route) {
        case ledger::Route::exam: return "examen";
        case ledger::Route::vae: return "VAE (validation des acquis de l'expérience)";
        case ledger::Route::correspondence: return "correspondance";
        case ledger::Route::jury_decision: return "décision du jury";
    }
    return "inconnue";
}

/// The role as a French PV names it, agreed with the member's declared gender.
std::string_view role_fr(const Member& m) {
    const bool f = m.gender == Gender::female, h = m.gender == Gender::male;
    switch (m.role) {
        case Role::president: return f ? "présidente" : h ? "président" : "président(e)";
        case Role::professional: return f ? "professionnelle" : h ? "professionnel" : "professionnel(le)";
        case Role::trainer: return f ? "formatrice" : h ? "formateur" : "formateur/formatrice";
        case Role::academic: return "universitaire";
        case Role::other: return "autre";
    }
    return "autre";
}

std::string_view yes_no(bool b) { return b ? "oui" : "non"; }

// --- The page ------------------------------------------------------------------

constexpr std::string_view style_common = R"css(
:root { color: #000; background: #fff; }
body { font-family: "DejaVu Serif", "Liberation Serif", "Times New Roman", serif; font-size: 10.5pt;
       line-height: 1.35; margin: 0 auto; max-width: 190mm; padding: 8mm; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; border-bottom: 1px solid #000; margin: 6mm 0 2mm; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; }
p { margin: 1mm 0; }
.subtitle { text-align: center; margin-bottom: 5mm; }
dl { display: grid; grid-template-columns: 48mm 1fr; gap: 0.8mm 3mm; margin: 1mm 0; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: break-word; }
table { width: 100%; border-collapse: collapse; margin: 1.5mm 0; font-size: 9pt; }
th, td { border: 1px solid #000; padding: 0.8mm 1.2mm; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
col.w6 { width: 6%; } col.w7 { width: 7%; } col.w8 { width: 8%; } col.w11 { width: 11%; }
col.w15 { width: 15%; } col.w19 { width: 19%; }
.hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt;
        overflow-wrap: anywhere; }
.outcome { border: 1.5px solid #000; padding: 2mm 3mm; margin: 3mm 0; }
.outcome .verdict { font-weight: bold; font-size: 11.5pt; }
ul { margin: 1mm 0; padding-left: 6mm; }
.signatures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin-top: 2mm; }
.signature { border: 1px solid #000; min-height: 24mm; padding: 1.5mm 2mm; display: flex;
             flex-direction: column; }
.signature .name { font-weight: bold; }
.signature .line { margin-top: auto; font-size: 8.5pt; border-top: 1px dotted #000; padding-top: 0.8mm; }
.recused { color: #444; font-style: italic; }
.draft-banner { border: 3px double #000; text-align: center; font-weight: bold; font-size: 13pt;
                padding: 2mm; margin: 3mm 0; letter-spacing: 0.05em; }
.watermark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; font-size: 38pt;
             font-weight: bold; color: rgba(0, 0, 0, 0.09); transform: rotate(-30deg);
             pointer-events: none; z-index: 10; white-space: nowrap; }
.seal { margin-top: 4mm; border-top: 1px solid #000; padding-top: 1.5mm; break-inside: avoid; }
.candidate { margin-top: 8mm; }
thead { display: table-header-group; }
tr, .signature, .outcome, dl { break-inside: avoid; }
h2, h3 { break-after: avoid; }
.signatures-block { break-inside: avoid; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .candidate { margin-top: 0; }
}
)css";

class Page {
  public:
    Page(const Record& record, const PvOptions& options) : r_(record), options_(options) {}

    std::string render() {
        head();
        out_ += "<body>\n";
        if (draft()) out_ += "<div class=\"watermark\" aria-hidden=\"true\">PROJET — non scellé</div>\n";
        out_ += "<h1>Procès-verbal de délibération du jury</h1>\n<p class=\"subtitle\">";
        text(r_.certification_title);
        out_ += " — session ";
        text(r_.session.id);
        out_ += " du ";
        out_ += french_date(r_.session.date);
        out_ += "</p>\n";
        if (draft())
            out_ += "<p class=\"draft-banner\">PROJET — non scellé : ce document n'est pas le "
                    "procès-verbal définitif.</p>\n";
        certification();
        session();
        composition();
        problems();
        summary();
        for (std::size_t i = 0; i < r_.candidates.size(); ++i) candidate(r_.candidates[i], i);
        seal();
        out_ += "</body>\n</html>\n";
        return std::move(out_);
    }

  private:
    const Record& r_;
    const PvOptions& options_;
    std::string out_;

    bool draft() const { return r_.hash.empty(); }
    void text(std::string_view s) { certigraph::detail::append_html_escaped(out_, s); }
    void raw(std::string_view s) { out_ += s; }
    void element(std::string_view tag, std::string_view content) {
        out_ += '<';
        out_ += tag;
        out_ += '>';
        text(content);
        out_ += "</";
        out_ += tag;
        out_ += '>';
    }
    void row(std::string_view term, std::string_view value) {
        element("dt", term);
        element("dd", value);
        out_ += '\n';
    }
    /// A member's name, or their id when the record does not know them.
    std::string member_label(std::string_view id) const {
        const Member* m = find_member(r_, id);
        if (!m || m->name.empty()) return std::string(id);
        return m->name;
    }
    std::string member_list(const std::vector<std::string>& ids) const {
        std::string s;
        for (const auto& id : ids) {
            if (!s.empty()) s += ", ";
            s += member_label(id);
        }
        return s;
    }

    void head() {
        raw("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        text("Procès-verbal de délibération du jury — " + r_.session.id);
        raw("</title>\n<style>");
        raw(style_common);
        // The running header and footer of every printed page.
        raw("@page {\n  size: A4;\n  margin: 16mm 14mm 18mm 14mm;\n  @top-left { content: ");
        raw(css_string("Procès-verbal — session " + r_.session.id));
        raw("; font-size: 8pt; }\n  @top-right { content: ");
        raw(css_string(r_.session.referentiel.fiche));
        raw("; font-size: 8pt; }\n  @bottom-left { content: ");
        raw(css_string(draft() ? std::string("PROJET — non scellé") : "Scellé : " + pv_detail::seal_text(r_.hash)));
        raw("; font-size: 7pt; }\n  @bottom-right { content: \"page \" counter(page) \" / \" counter(pages); "
            "font-size: 8pt; }\n}\n");
        if (options_.page_per_candidate) raw(".candidate { break-before: page; }\n");
        raw("</style>\n</head>\n");
    }

    void certification() {
        raw("<section id=\"certification\">\n<h2>Certification</h2>\n<dl>\n");
        row("Intitulé", r_.certification_title);
        row("Code RNCP", r_.session.referentiel.fiche);
        row("Niveau", r_.level > 0 ? "niveau " + std::to_string(r_.level) : std::string("non précisé"));
        raw("<dt>Certificateur(s)</dt><dd>");
        if (r_.certifiers.empty()) raw("non précisé");
        for (std::size_t i = 0; i < r_.certifiers.size(); ++i) {
            if (i) raw("<br>");
            text(r_.certifiers[i].name);
            if (!r_.certifiers[i].siret.empty()) {
                raw(" (SIRET ");
                text(r_.certifiers[i].siret);
                raw(")");
            }
        }
        raw("</dd>\n<dt>Référentiel (empreinte)</dt><dd class=\"hash\">");
        text(r_.session.referentiel.content_hash);
        raw("</dd>\n</dl>\n</section>\n");
    }

    void session() {
        const auto& s = r_.session;
        raw("<section id=\"session\">\n<h2>Session du jury</h2>\n<dl>\n");
        row("Session", s.id);
        row("Date", french_date(s.date));
        row("Lieu", s.place.empty() ? std::string("non précisé") : s.place);
        std::string epreuves;
        for (const auto& e : s.epreuves) epreuves += (epreuves.empty() ? "" : ", ") + e;
        row("Épreuves", epreuves.empty() ? std::string("aucune") : epreuves);
        if (s.grading) row("Session d'examen", s.grading->exam_session);
        raw("<dt>Politique de notation (empreinte)</dt><dd class=\"hash\">");
        text(r_.policy_hash.empty() ? "sans objet" : r_.policy_hash);
        raw("</dd>\n<dt>Évaluations (empreinte)</dt><dd class=\"hash\">");
        text(r_.evaluations_hash.empty() ? "sans objet" : r_.evaluations_hash);
        raw("</dd>\n");
        if (s.corrects) row("Rectifie la session", s.corrects->session + " — motif : " + s.corrects->reason);
        raw("</dl>\n</section>\n");
    }

    void composition() {
        raw("<section id=\"jury\">\n<h2>Composition du jury</h2>\n<table>\n<thead><tr><th>Membre</th>"
            "<th>Qualité</th><th>Qualifié(e) pour la certification</th><th>Présent(e)</th></tr></thead>\n<tbody>\n");
        for (const auto& m : r_.session.members) {
            raw("<tr>");
            element("td", m.name.empty() ? m.id : m.name);
            element("td", role_fr(m));
            element("td", yes_no(m.qualified));
            element("td", yes_no(m.present));
            raw("</tr>\n");
        }
        raw("</tbody>\n</table>\n<h3>Contrôle de la composition</h3>\n<p>");
        const auto& c = r_.composition;
        bool any_overridden = false;
        for (const auto& f : c.findings) any_overridden = any_overridden || f.overridden;
        raw(!c.compliant ? "<strong>Composition non conforme.</strong>"
            : any_overridden ? "Composition conforme par dérogation."
                             : "Composition conforme.");
        raw("</p>\n");
        if (c.findings.empty()) {
            raw("<p>Aucune observation.</p>\n");
        } else {
            raw("<table>\n<thead><tr><th>Code</th><th>Portée</th><th>Règle</th><th>Membres</th><th>Constat</th>"
                "<th>Correction</th><th>Statut</th></tr></thead>\n<tbody>\n");
            for (const auto& f : c.findings) {
                raw("<tr>");
                element("td", f.code);
                element("td", f.candidate.empty() ? std::string("session") : "candidat " + candidate_label(f.candidate));
                // The French texts, when the record has them (they are what a French PV reads).
                element("td", f.rule_fr.empty() ? f.rule : f.rule_fr);
                element("td", member_list(f.members));
                element("td", f.problem_fr.empty() ? f.problem : f.problem_fr);
                element("td", f.fix_fr.empty() ? f.fix : f.fix_fr);
                raw("<td>");
                if (f.overridden) {
                    raw("<strong>dérogation</strong>");
                    if (r_.session.override_findings) {
                        raw(" — motif : ");
                        text(r_.session.override_findings->reason);
                        if (!r_.session.override_findings->by.empty()) {
                            raw(" (");
                            text(member_label(r_.session.override_findings->by));
                            raw(")");
                        }
                    }
                } else {
                    raw(f.blocking ? "bloquant" : "pour information");
                }
                raw("</td></tr>\n");
            }
            raw("</tbody>\n</table>\n");
        }
        if (!c.unused_override.empty()) {
            std::string codes;
            for (const auto& u : c.unused_override) codes += (codes.empty() ? "" : ", ") + u;
            raw("<p>Dérogation sans objet pour : ");
            text(codes);
            raw("</p>\n");
        }
        raw("</section>\n");
    }

    std::string candidate_label(std::string_view id) const {
        for (const auto& c : r_.candidates)
            if (c.candidate.id == id && !c.candidate.name.empty()) return c.candidate.name + " (" + c.candidate.id + ")";
        return std::string(id);
    }

    void problems() {
        if (r_.problems.empty()) return;
        raw("<section id=\"problems\">\n<h2>Points à régler avant le scellement</h2>\n<table>\n<thead><tr>"
            "<th>Code</th><th>Candidat</th><th>Bloc</th><th>Problème</th><th>Correction</th></tr></thead>\n<tbody>\n");
        for (const auto& p : r_.problems) {
            raw("<tr>");
            element("td", p.code);
            element("td", p.candidate.empty() ? std::string() : candidate_label(p.candidate));
            element("td", p.bloc);
            element("td", p.problem);
            element("td", p.fix);
            raw("</tr>\n");
        }
        raw("</tbody>\n</table>\n</section>\n");
    }

    static std::string_view certification_fr(const CandidateRecord& c) {
        if (!c.certification) return "non statuée";
        return c.certification->awarded ? "délivrée" : "non délivrée";
    }

    void summary() {
        raw("<section id=\"summary\">\n<h2>Récapitulatif</h2>\n<table>\n<thead><tr><th>Candidat</th><th>Voie</th>"
            "<th>Blocs validés</th><th>Certification</th></tr></thead>\n<tbody>\n");
        for (const auto& c : r_.candidates) {
            std::size_t validated = 0;
            for (const auto& b : c.blocs) validated += b.validated.value_or(false) ? 1 : 0;
            raw("<tr>");
            element("td", candidate_label(c.candidate.id));
            element("td", c.candidate.route == ledger::Route::vae ? "VAE" : route_fr(c.candidate.route));
            element("td", std::to_string(validated) + " / " + std::to_string(c.blocs.size()));
            element("td", certification_fr(c));
            raw("</tr>\n");
        }
        raw("</tbody>\n</table>\n</section>\n");
    }

    /// The jury's decision on one cell, in words.
    static std::string decision_fr(const BlocCell& b) {
        if (!b.decision) return "non décidé";
        std::string outcome = b.validated ? (*b.validated ? "validé" : "non validé")
                              : b.computed ? std::string(status_fr(*b.computed))
                                           : std::string("sans résultat");
        switch (b.decision->verdict) {
            case Verdict::confirm: return "résultat confirmé : " + outcome;
            case Verdict::validate: return "validé";
            case Verdict::refuse: return "refusé";
        }
        return outcome;
    }

    static std::string votes_fr(const BlocCell& b) {
        if (!b.decision) return "";
        if (!b.decision->votes) return "consensus";
        const auto& v = *b.decision->votes;
        std::string s = "pour " + std::to_string(v.validate) + ", contre " + std::to_string(v.refuse) +
                        ", abstentions " + std::to_string(v.abstain);
        if (v.casting_vote)
            s += std::string("; voix prépondérante du président : ") + (*v.casting_vote ? "pour" : "contre");
        return s;
    }

    void candidate(const CandidateRecord& c, std::size_t index) {
        raw("<section class=\"candidate\" id=\"candidat-");
        raw(std::to_string(index + 1));
        raw("\">\n<h2>Candidat : ");
        text(candidate_label(c.candidate.id));
        raw("</h2>\n<dl>\n");
        row("Identifiant", c.candidate.id);
        if (!c.candidate.name.empty()) row("Nom", c.candidate.name);
        row("Voie d'accès", route_fr(c.candidate.route));
        if (!c.candidate.prescriptions.empty()) row("Prescriptions", c.candidate.prescriptions);
        row("Membres récusés", c.jury.recused.empty() ? std::string("aucun") : member_list(c.jury.recused));
        if (!c.jury.deciding.empty()) row("Membres ayant délibéré", member_list(c.jury.deciding));
        if (!c.jury.president.empty()) row("Présidence", member_label(c.jury.president));
        if (!c.jury.compliant) row("Composition", "non conforme pour ce candidat");
        raw("</dl>\n");

        raw("<h3>Blocs de compétences</h3>\n");
        if (c.blocs.empty()) {
            raw("<p>Aucun bloc présenté.</p>\n");
        } else {
            raw("<table class=\"blocs\">\n<colgroup><col class=\"w15\"><col class=\"w19\"><col class=\"w8\">"
                "<col class=\"w6\"><col class=\"w11\"><col class=\"w7\"><col class=\"w19\"><col class=\"w15\">"
                "</colgroup>\n<thead><tr><th>Bloc</th><th>Intitulé</th><th>Résultat calculé</th>"
                "<th>Marge</th><th>Décision du jury</th><th>Contre le résultat calculé</th><th>Motif</th>"
                "<th>Votes</th></tr></thead>\n<tbody>\n");
            for (const auto& b : c.blocs) {
                raw("<tr>");
                element("td", b.bloc);
                element("td", b.title);
                element("td", b.computed ? status_fr(*b.computed) : std::string_view("sans objet (VAE)"));
                raw("<td class=\"num\">");
                text(b.margin ? french_margin(*b.margin) : std::string("—"));
                raw("</td>");
                element("td", decision_fr(b));
                element("td", yes_no(b.against));
                element("td", b.decision ? b.decision->reason : std::string());
                element("td", votes_fr(b));
                raw("</tr>\n");
            }
            raw("</tbody>\n</table>\n");
        }

        raw("<div class=\"outcome\">\n<h3>Décision de certification</h3>\n<p class=\"verdict\">");
        if (!c.certification) {
            raw("Décision de certification non encore statuée.");
        } else {
            raw(c.certification->awarded ? "Certification délivrée" : "Certification non délivrée");
        }
        raw("</p>\n");
        if (c.certification) {
            const auto& o = *c.certification;
            raw("<p>Éligibilité à la date de la session : ");
            raw(yes_no(o.eligible));
            raw(".</p>\n");
            if (!o.missing.empty()) {
                std::string missing;
                for (const auto& m : o.missing) missing += (missing.empty() ? "" : ", ") + m;
                raw("<p>Reste à obtenir : ");
                text(missing);
                raw(".</p>\n");
            }
            if (!o.reason.empty()) {
                raw("<p>Motif de la non-délivrance : ");
                text(o.reason);
                raw("</p>\n");
            }
        }
        if (!c.reasons.empty()) {
            raw("<p>Conditions d'obtention :</p>\n<ul>\n");
            for (const auto& reason : c.reasons) {
                raw("<li>");
                text(reason);
                raw("</li>\n");
            }
            raw("</ul>\n");
        }
        raw("</div>\n");

        raw("<div class=\"signatures-block\">\n<h3>Signatures des membres présents</h3>\n<div class=\"signatures\">\n");
        for (const auto& m : r_.session.members) {
            if (!m.present) continue;
            bool recused = false;
            for (const auto& id : c.jury.recused) recused = recused || id == m.id;
            raw("<div class=\"signature\"><span class=\"name\">");
            text(m.name.empty() ? m.id : m.name);
            raw("</span><span>");
            text(role_fr(m));
            raw("</span>");
            raw(recused ? "<span class=\"line recused\">Récusé(e) pour ce candidat</span>"
                        : "<span class=\"line\">Signature</span>");
            raw("</div>\n");
        }
        raw("</div>\n</div>\n</section>\n");
    }

    void seal() {
        raw("<footer class=\"seal\">\n");
        if (draft()) {
            raw("<p class=\"draft-banner\">PROJET — non scellé</p>\n");
        } else {
            raw("<p>Scellé : <span class=\"hash\">");
            text(pv_detail::seal_text(r_.hash));
            raw("</span></p>\n");
        }
        raw("<p>Fait");
        if (!r_.session.place.empty()) {
            raw(" à ");
            text(r_.session.place);
            raw(",");
        }
        raw(" le ");
        raw(french_date(r_.session.date));
        raw(".</p>\n</footer>\n");
    }
};

}  // namespace

std::string pv_html(const Record& record, const PvOptions& options) { return Page(record, options).render(); }

}  // namespace certigraph::jury
