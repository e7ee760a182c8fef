// The ledger's canonical JSON, the text its hashes cover: the direct writer gives
// nlohmann's bytes for every kind of event, the layout reader verify() trusts
// accepts only the writer's own text, and the line reader of JSON lines reads what
// the event readers read (src/ledger/canonical_event.cpp; its fuzzer:
// tests/fuzz/fuzz_canonical_event.cpp).
#include <certigraph/ledger/event.hpp>

#include "io/json_reader.hpp"
#include "ledger/event_json.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <string>
#include <variant>
#include <vector>

using namespace certigraph;
using namespace certigraph::ledger;

namespace {

/// Random events of every kind for the canonical JSON tests: the strings made of
/// plain pieces and, one piece in `rare`, one the direct writer leaves to nlohmann.
class RandomEvents {
  public:
    RandomEvents(std::uint64_t seed, unsigned rare) : rng_(seed), rare_(rare) {}

    /// An event of `kind` (a correction: with or without a replacement).
    Event of(std::size_t kind) {
        Event e;
        e.candidate = pick();
        e.session = pick();
        e.date = date();
        e.id = rng_() % 3 == 0 ? 0 : rng_() % 1'100'000'000;  // a few beyond the readers' 10⁹
        e.route = static_cast<Route>(rng_() % 4);
        e.policy_hash = pick();
        e.referentiel = {pick(), pick()};
        e.evidence = list();
        if (kind == static_cast<std::size_t>(EventKind::correction)) {
            Correction c{rng_() % 1'000'000'000, pick(), std::nullopt};
            if (yes()) c.replacement = fact(rng_() % std::variant_size_v<Fact>);
            e.body = std::move(c);
        } else {
            e.body = std::visit([](auto&& f) -> Event::Body { return std::move(f); }, fact(kind));
        }
        return e;
    }
    Event any() { return of(rng_() % std::variant_size_v<Event::Body>); }
    std::uint64_t seq() { return rng_() % 4; }

  private:
    std::string one() {
        static const std::vector<std::string> plain{"", "C", "RNCP40514BC01", "a\"b", "back\\slash", "S2026-06",
                                                    "sha256:x", "{}[],:", "0", "null"};
        static const std::vector<std::string> other{"tab\there", "é", "line\nbreak", "\x7f"};
        return rng_() % rare_ ? plain[rng_() % plain.size()] : other[rng_() % other.size()];
    }
    std::string pick() { return one() + one(); }
    std::vector<std::string> list() {
        std::vector<std::string> out;
        for (std::size_t n = rng_() % 3; n > 0; --n) out.push_back(pick());
        return out;
    }
    bool yes() { return rng_() % 2 == 0; }
    Date date() {
        return Date(static_cast<int>(1 + rng_() % 9999), static_cast<unsigned>(1 + rng_() % 12),
                    static_cast<unsigned>(1 + rng_() % 28));
    }
    Fact fact(std::size_t kind) {
        switch (kind) {
            case 0: return BlocResult{pick(), yes()};
            case 1: return VaeDecision{list(), list(), pick()};
            case 2: return BlocCredit{pick(), pick(), list(), pick(), pick()};
            case 3: return JuryDecision{pick(), yes(), pick(), pick()};
            case 4: return LanguageCertificate{pick(), pick(), pick(), pick(), yes(), date()};
            case 5: return MobilityPeriod{date(), date(), pick()};
            case 6: return WorkPeriod{date(), date(), pick()};
            case 7: return Attribute{pick(), pick()};
            case 8: return PathStart{pick()};
            case 9: return DeliveryException{pick(), pick()};
            default: return CertificationDecision{yes(), yes(), list(), pick()};
        }
    }
    std::mt19937_64 rng_;
    unsigned rare_;
};

/// The event the event readers read from `text`: the strict reader's, and the fast
/// reader's when it takes the text (the two must agree). Throws if the strict one refuses.
Event readers_event(const std::string& text) {
    const Event strict = ledger::detail::from_json(
                             io::detail::Reader(io::detail::parse_strict(text, "test"), "", "test"))
                             .event;
    if (const auto fast = ledger::detail::fast_from_json(text)) CHECK(*fast == strict);
    return strict;
}

/// The texts of the reader tests: canonical texts of every kind, every one-byte edit
/// of one of each kind, and each of those with a "hash" as `ledger export` writes.
std::vector<std::string> reader_texts() {
    RandomEvents random(40514, 400);
    std::vector<std::string> texts;
    for (int i = 0; i < 3000; ++i) texts.push_back(canonical_json(random.any(), random.seq()));
    for (std::size_t kind = 0; kind < std::variant_size_v<Event::Body>; ++kind) {
        Event e = random.of(kind);
        e.id = 1 + kind;
        if (auto* c = std::get_if<Correction>(&e.body)) c->replacement.reset();
        const std::string base = canonical_json(e, 1 + kind);
        for (std::size_t at = 0; at < base.size(); ++at) {
            for (const char c : std::string("0 \"\\,}]x\x7f")) {
                std::string edited = base;
                edited[at] = c;
                texts.push_back(edited);
            }
            texts.push_back(base.substr(0, at) + base.substr(at + 1));
        }
        texts.push_back(base);
    }
    // Each also with the "hash" member `ledger export` writes after "evidence": only
    // read_canonical_line may take those.
    for (std::size_t i = 0, n = texts.size(); i < n; ++i) {
        const std::size_t id = texts[i].find(R"(,"id":)");
        if (id != std::string::npos)
            texts.push_back(texts[i].substr(0, id) + R"(,"hash":"9f86d081884c7d65")" + texts[i].substr(id));
    }
    return texts;
}

}  // namespace

TEST_CASE("ledger: canonical JSON: the direct writer gives nlohmann's bytes for every kind", "[ledger][canonical]") {
    // Most events written directly, about a quarter left to nlohmann (a string not plain).
    RandomEvents random(9162, 200);
    std::array<int, std::variant_size_v<Event::Body>> seen{};
    for (int i = 0; i < 12000; ++i) {
        const Event e = random.any();
        ++seen[e.body.index()];
        const std::uint64_t seq = random.seq();
        INFO(ledger::detail::canonical_json_general(e, seq));
        CHECK(canonical_json(e, seq) == ledger::detail::canonical_json_general(e, seq));
    }
    for (const int n : seen) CHECK(n > 800);
}

TEST_CASE("ledger: canonical JSON: verify()'s reader accepts only the writer's text", "[ledger][canonical]") {
    // Every text the fixed-layout reader accepts, whatever kind it is asked to read,
    // is of that kind, is written back byte for byte, and the event readers read the
    // same event from it: verify() need not write it again. Canonical texts of every
    // kind, then every one-byte edit of one of each kind, each read as every kind.
    constexpr std::size_t kinds = std::variant_size_v<Event::Body>;
    const std::vector<std::string> texts = reader_texts();
    std::array<std::size_t, kinds> accepted{};
    Event e;  // reused, as verify() does
    for (const std::string& text : texts) {
        for (std::size_t kind = 0; kind < kinds; ++kind) {
            std::uint64_t seq = 0;
            if (!ledger::detail::read_canonical(text, static_cast<EventKind>(kind), e, seq)) continue;
            ++accepted[kind];
            INFO(text);
            CHECK(e.body.index() == kind);
            std::string again;
            ledger::detail::canonical_json(e, seq, again);
            CHECK(again == text);
            CHECK(readers_event(text) == e);
        }
    }
    for (const std::size_t n : accepted) CHECK(n > 100);  // each kind's plain texts, and the edits that leave one
}

TEST_CASE("ledger: canonical JSON: lines read by the layout are read as the event readers read them",
          "[ledger][canonical]") {
    // Whatever read_canonical_line takes (a hash too), the event readers read the same;
    // and it takes every canonical text, whose kind it finds itself.
    const std::vector<std::string> texts = reader_texts();
    std::size_t accepted = 0, canonical = 0, taken = 0;
    Event scratch;
    for (const std::string& text : texts) {
        std::uint64_t seq = 0;
        const bool is_canonical = [&] {
            for (std::size_t kind = 0; kind < std::variant_size_v<Event::Body>; ++kind)
                if (ledger::detail::read_canonical(text, static_cast<EventKind>(kind), scratch, seq)) return true;
            return false;
        }();
        const bool line = ledger::detail::read_canonical_line(text, scratch);  // reused, as a file's lines are
        canonical += is_canonical;
        if (is_canonical) {
            CHECK(line);  // a canonical text is always taken
            taken += line;
        }
        if (!line) continue;
        ++accepted;
        INFO(text);
        CHECK(readers_event(text) == scratch);
        CHECK(event_from_json(text, "test") == scratch);
    }
    CHECK(canonical > 1500);
    CHECK(taken == canonical);
    CHECK(accepted > canonical + 1000);  // and the lines with a hash
}
