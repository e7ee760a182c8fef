// Private: reading a bloc_result payload by the canonical writer's fixed layout
// (verify() reads a million of them; the event readers take anything else).
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/ledger/event.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>

namespace certigraph::ledger::detail {

/// Reads a canonical bloc_result payload by its fixed layout (the keys in the
/// canonical writer's order, plain strings) into `e`, reusing its strings. false
/// at the first byte that does not fit: the caller then reads the payload with the
/// event readers. It accepts only the canonical writer's own text: whatever it reads,
/// canonical_json(e, seq) writes back byte for byte (tests/fuzz/fuzz_canonical_bloc_result.cpp
/// and test_ledger_store.cpp check it), so verify() need not write the payload again.
class CanonicalBlocResult {
  public:
    explicit CanonicalBlocResult(std::string_view text) : text_(text) {}

    bool read(Event& e, std::uint64_t& id, std::uint64_t& seq) {
        auto* r = std::get_if<BlocResult>(&e.body);
        if (!r) r = &e.body.emplace<BlocResult>();
        if (!literal(R"({"body":{"bloc":)") || !string(r->bloc)) return false;
        if (literal(R"(,"validated":true},"candidate":)")) r->validated = true;
        else if (literal(R"(,"validated":false},"candidate":)")) r->validated = false;
        else return false;
        std::string_view date;
        if (!string(e.candidate) || !literal(R"(,"date":")") || !take(10, date) || !literal(R"(","evidence":[)"))
            return false;
        const auto d = Date::parse(date);
        if (!d || d->to_string() != date) return false;
        e.date = *d;
        std::size_t n = 0;
        while (!literal("]")) {
            if (n && !literal(",")) return false;
            if (e.evidence.size() <= n) e.evidence.emplace_back();
            if (!string(e.evidence[n++])) return false;
        }
        e.evidence.resize(n);
        if (!literal(R"(,"id":)") || !number(id) || !literal(R"(,"kind":"bloc_result","policy_hash":)") ||
            !string(e.policy_hash) || !literal(R"(,"referentiel":{"content_hash":)") ||
            !string(e.referentiel.content_hash) || !literal(R"(,"fiche":)") || !string(e.referentiel.fiche) ||
            !literal(R"(},"route":")"))
            return false;
        const std::size_t quote = text_.find('"', at_);
        if (quote == std::string_view::npos) return false;
        const auto route = route_from_string(text_.substr(at_, quote - at_));
        if (!route) return false;
        e.route = *route;
        at_ = quote;
        if (!literal(R"(","seq":)") || !number(seq) || !literal(R"(,"session":)") || !string(e.session) ||
            !literal("}"))
            return false;
        e.id = id;
        return at_ == text_.size();
    }

  private:
    /// The literal's size is known here: the comparison is inlined, not a call.
    template <std::size_t N>
    bool literal(const char (&expected)[N]) {
        constexpr std::size_t size = N - 1;
        if (text_.size() - at_ < size || std::memcmp(text_.data() + at_, expected, size) != 0) return false;
        at_ += size;
        return true;
    }
    bool take(std::size_t n, std::string_view& out) {
        if (text_.size() - at_ < n) return false;
        out = text_.substr(at_, n);
        at_ += n;
        return true;
    }
    /// A positive integer ≤ 10⁹ (the readers' limit), no leading zero.
    bool number(std::uint64_t& out) {
        std::size_t digits = 0;
        out = 0;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9' && digits < 10) {
            out = out * 10 + static_cast<std::uint64_t>(text_[at_++] - '0');
            ++digits;
        }
        return digits > 0 && text_[at_ - digits] != '0' && out <= 1'000'000'000;
    }
    /// A JSON string of printable ASCII, escaping only '"' and '\\' (the writer's plain strings).
    bool string(std::string& out) {
        if (!literal("\"")) return false;
        out.clear();
        // The common case: no escape before the closing quote. The run is checked in
        // one branch-free pass (vectorised) and taken whole.
        const char* begin = text_.data() + at_;
        if (const auto* quote = static_cast<const char*>(std::memchr(begin, '"', text_.size() - at_))) {
            bool plain = true;
            for (const char* p = begin; p != quote; ++p) {
                const auto u = static_cast<unsigned char>(*p);
                plain &= (u >= 0x20) & (u < 0x7F) & (u != '\\');
            }
            if (plain) {
                out.assign(begin, quote);
                at_ = static_cast<std::size_t>(quote - text_.data()) + 1;
                return true;
            }
        }
        while (true) {  // a run of plain characters, then what ends it
            const std::size_t start = at_;
            while (at_ < text_.size()) {
                const auto u = static_cast<unsigned char>(text_[at_]);
                if (u < 0x20 || u >= 0x7F || u == '"' || u == '\\') break;
                ++at_;
            }
            out.append(text_.data() + start, at_ - start);
            if (at_ == text_.size()) return false;
            const char c = text_[at_++];
            if (c == '"') return true;
            if (c != '\\' || at_ == text_.size() || (text_[at_] != '"' && text_[at_] != '\\')) return false;
            out += text_[at_++];
        }
    }
    std::string_view text_;
    std::size_t at_ = 0;
};


}  // namespace certigraph::ledger::detail
