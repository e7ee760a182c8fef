// A jury record built by hand for the procès-verbal tests (test_jury_pv.cpp) and the
// browser test's sample page (tests/browser/sample_pv.cpp): four candidates on
// RNCP40514, exam and VAE, a composition finding overridden, a decision against the
// computed result with votes and the president's casting vote, a withheld
// certification, and hostile text (markup, quotes, '&', a spreadsheet formula).
#pragma once

#include <certigraph/jury/pv.hpp>  // deliberation.hpp, with what it needs first

#include <string>

namespace certigraph::test {

inline constexpr const char* pv_hostile_name = "<script>alert(\"x\")</script> O'Brien & \"Fils\"";
inline constexpr const char* pv_formula_reason = "=cmd|' /C calc'!A0 erreur de report";

inline jury::Record pv_sample_record(bool sealed) {
    using namespace certigraph::jury;
    using ledger::Route;
    Record r;
    auto& s = r.session;
    s.referentiel = {"RNCP40514", "sha256:4f1c9a7e0b2d3c5a6e8f9012a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"};
    s.id = "JURY-2026-06";
    s.date = Date(2026, 6, 30);
    s.place = "Nanterre, campus CESI";
    s.epreuves = {"EP1", "EP2", "EP3", "EP4", "EP5"};
    s.grading = GradingInputs{"rncp40514.json", "rncp40514-default.json", "session-2026-06.csv", "S2026-06"};
    s.members = {
        {"M1", "Claire Dupont", Role::president, true, Gender::female, true, true, {}},
        {"M2", "Karim Benali", Role::professional, true, Gender::male, true, true, {}},
        {"M3", "Sophie Martin", Role::trainer, false, Gender::female, false, true,
         {{"C-0002", LinkKind::trainer_of}}},
        {"M4", "Jean Moreau", Role::academic, false, Gender::male, true, false, {}},
    };
    s.candidates = {
        {"C-0001", "Léa Fontaine", Route::exam, ""},
        {"C-0002", pv_hostile_name, Route::exam, ""},
        {"C-0003", "Marc Petit", Route::vae, "Compléter le bloc 4 par une mise en situation"},
        {"C-0004", "Nadia Haddad", Route::exam, ""},
    };
    s.override_findings = Override{{"JURY-GENDER-BALANCE"}, "Membre masculin empêché le jour même", "M1"};

    r.certification_title = "Informatique et systèmes numériques";
    r.level = 6;
    r.certifiers = {{"CESI", "77572257201109"},
                    {"MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE", "11004401300040"}};
    r.policy_hash = "sha256:9a8b7c6d5e4f30211203f4e5d6c7b8a90a1b2c3d4e5f60718293a4b5c6d7e8f9";
    r.evaluations_hash = "sha256:0011223344556677889900aabbccddeeff00112233445566778899aabbccddee";

    r.composition.findings = {
        {"JURY-GENDER-BALANCE", false, "C-0002", {"M1", "M2"}, "D6412-6: balanced genders",
         "1 woman and 1 man decide; with M4 absent the VAE jury is unbalanced", "seat another member", true},
        {"JURY-RECUSED", false, "C-0002", {"M3"}, "no trainer of the candidate", "M3 trained the candidate",
         "M3 does not deliberate on C-0002", false},
    };
    r.composition.compliant = true;

    const char* titles[4] = {"Analyser et mesurer l'apport d'une solution d'IA au sein d'une organisation",
                             "Piloter la conception et le prototypage d'une solution IA",
                             "Déployer et mettre en œuvre une solution IA", "Manager un projet IA"};
    auto exam_cell = [&](int i, Status computed, double margin) {
        BlocCell b;
        b.bloc = "RNCP40514BC0" + std::to_string(i + 1);
        b.title = titles[i];
        b.computed = computed;
        b.margin = margin;
        b.decision = BlocDecision{"", b.bloc, Verdict::confirm, "", std::nullopt};
        if (computed == Status::validated || computed == Status::not_validated)
            b.validated = computed == Status::validated;
        return b;
    };
    auto full_jury = [](std::string id) {
        return CandidateJury{std::move(id), {"M1", "M2", "M3"}, {}, "M1", true};
    };

    CandidateRecord c1;
    c1.candidate = s.candidates[0];
    c1.jury = full_jury("C-0001");
    for (int i = 0; i < 4; ++i) {
        auto b = exam_cell(i, Status::validated, 1.25 + i);
        b.decision->candidate = "C-0001";
        c1.blocs.push_back(b);
    }
    c1.certification = CertificationOutcome{true, true, {}, ""};
    c1.reasons = {"blocs requis : 4 sur 4 acquis", "anglais B1 attesté par un tiers (TOEIC)"};

    CandidateRecord c2;
    c2.candidate = s.candidates[1];
    c2.jury = CandidateJury{"C-0002", {"M1", "M2"}, {"M3"}, "M1", true};
    for (int i = 0; i < 4; ++i) {
        auto b = exam_cell(i, i == 2 ? Status::not_validated : Status::validated, i == 2 ? -0.5 : 0.75);
        b.decision->candidate = "C-0002";
        if (i == 2) {  // validated against the computed result, on a tie decided by the president
            b.decision->verdict = Verdict::validate;
            b.decision->reason = pv_formula_reason;
            b.decision->votes = Votes{1, 1, 0, true};
            b.validated = true;
            b.against = true;
        }
        c2.blocs.push_back(b);
    }
    c2.certification = CertificationOutcome{false, true, {}, "Fraude <constatée> & \"avérée\" à l'épreuve EP3"};
    c2.reasons = {"blocs requis : 4 sur 4 acquis"};

    CandidateRecord c3;
    c3.candidate = s.candidates[2];
    c3.jury = full_jury("C-0003");
    for (int i = 0; i < 4; ++i) {
        BlocCell b;
        b.bloc = "RNCP40514BC0" + std::to_string(i + 1);
        b.title = titles[i];
        b.decision = BlocDecision{"C-0003", b.bloc, i < 3 ? Verdict::validate : Verdict::refuse, "", std::nullopt};
        b.validated = i < 3;
        c3.blocs.push_back(b);
    }
    c3.certification = CertificationOutcome{false, false, {"RNCP40514BC04"}, ""};
    c3.reasons = {"blocs requis : 3 sur 4 acquis, manque RNCP40514BC04"};

    CandidateRecord c4;
    c4.candidate = s.candidates[3];
    c4.jury = full_jury("C-0004");
    for (int i = 0; i < 4; ++i) {
        auto b = exam_cell(i, i == 1 ? Status::validated : Status::not_validated, i == 1 ? 0.1 : -2.375);
        b.decision->candidate = "C-0004";
        if (i == 0) {  // refused against nothing: confirmed as computed, with a vote
            b.decision->votes = Votes{0, 2, 1, std::nullopt};
        }
        c4.blocs.push_back(b);
    }
    c4.certification = CertificationOutcome{false, false, {"RNCP40514BC01", "RNCP40514BC03", "RNCP40514BC04"}, ""};
    c4.reasons = {"blocs requis : 1 sur 4 acquis"};

    r.candidates = {c1, c2, c3, c4};
    if (sealed) r.hash = "4f3d1b2a9c8e7f6051a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8b";
    return r;
}

}  // namespace certigraph::test
