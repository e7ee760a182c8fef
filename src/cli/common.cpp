#include "cli/common.hpp"

#include "core/csv.hpp"

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

std::string csv_field(std::string_view text) { return detail::csv_field(text); }

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
