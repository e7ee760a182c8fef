// The columnar path (EventTable, eligibility_table) against the object path
// (eligibility_of_all) on random ledgers with every event kind and corrections, for
// 1, 2 and 3 threads; and the same through a ledger file's typed columns.
#include "support.hpp"

#include <certigraph/ledger/event_table.hpp>
#include <certigraph/ledger/ledger.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

using namespace certigraph;
using namespace certigraph::ledger;
using certigraph::test::TempDir;

namespace {

/// Random but valid events (check_event and the ledger accept them), of every kind.
class Generator {
  public:
    Generator(std::uint64_t seed, std::vector<std::string> blocs) : rng_(seed), blocs_(std::move(blocs)) {
        blocs_.push_back("OTHERBC01");  // a bloc of no référentiel
    }

    /// One candidate's events, ids next_id, next_id + 1, ...; `exotic`: may also hold
    /// VAE and jury decisions and corrections.
    std::vector<Event> candidate(const std::string& name, EventId& next_id, bool exotic) {
        std::vector<Event> out;
        const int n = 1 + pick(12);
        for (int k = 0; k < n; ++k) {
            Event e;
            e.candidate = name;
            e.date = date();
            e.referentiel = {"RNCP40514", "sha256:ref"};
            const int kind = pick(exotic ? 13 : 10);
            switch (kind) {
                case 0:
                case 1:
                case 2:
                    e.session = "S" + std::to_string(k);
                    e.policy_hash = "sha256:p";
                    e.body = BlocResult{one_of(blocs_), pick(3) != 0};
                    break;
                case 3:
                    e.route = Route::correspondence;
                    e.body = BlocCredit{one_of(blocs_), "RNCP1", {"RNCP1BC1"}, "arrete", ""};
                    break;
                case 4: {
                    const long issued = Date::parse("2023-01-01")->days_since_epoch() + pick(400);
                    e.body = LanguageCertificate{one_of({"en", "EN", "fr", "de"}), one_of({"CEFR", "CECRL", "TOEIC"}),
                                                 one_of({"A2", "B1", "b2", "B2", "C1", "C2", "900"}), "issuer",
                                                 pick(2) == 0,
                                                 issued < e.date.days_since_epoch() ? day(issued) : e.date};
                    break;
                }
                case 5:
                case 6: {
                    const auto start = Date::parse("2023-01-01")->days_since_epoch() + pick(2500);
                    const Date a = day(start), b = day(start + pick(pick(2) ? 40 : 400));
                    if (kind == 5)
                        e.body = MobilityPeriod{a, b, "x"};
                    else
                        e.body = WorkPeriod{a, b, "x"};
                    break;
                }
                case 7:
                    // Few dates, so that two values of one day happen.
                    e.date = day(Date::parse("2024-05-01")->days_since_epoch() + pick(3));
                    e.body = Attribute{one_of({"nationality", "nationality", "status"}), one_of({"FR", "fr", "IT", "BE"})};
                    break;
                case 8:
                    e.body = PathStart{"initial_training"};
                    break;
                case 9:
                    if (pick(2)) {
                        e.body = DeliveryException{"L6113-9", "reason"};
                    } else {  // a jury's certification decision: read, changes nothing eligibility reads
                        e.session = "J" + std::to_string(k);
                        e.body = pick(2) ? CertificationDecision{true, true, {}, ""}
                                         : CertificationDecision{false, false, {"RNCP40514BC01"}, ""};
                    }
                    break;
                case 10: {
                    e.route = Route::vae;
                    e.session = "V" + std::to_string(k);
                    VaeDecision v;
                    v.acquired.push_back(one_of(blocs_));
                    if (pick(2)) {
                        const std::string r = one_of(blocs_);
                        if (r != v.acquired.front()) v.refused.push_back(r);
                    }
                    e.body = v;
                    break;
                }
                case 11: {
                    e.route = Route::jury_decision;
                    e.session = "J" + std::to_string(k);
                    const std::string overrides = pick(2) ? "" : "S" + std::to_string(pick(std::max(1, k)));
                    e.body = JuryDecision{one_of(blocs_), pick(2) == 0, overrides, "reason"};
                    break;
                }
                default: {
                    if (out.empty()) {
                        e.body = PathStart{"vae"};
                        break;
                    }
                    const Event& target = out[static_cast<std::size_t>(pick(static_cast<int>(out.size())))];
                    if (e.date < target.date) e.date = target.date;
                    Correction c{target.id, "reason", std::nullopt};
                    if (pick(3) != 0 && target.kind() != EventKind::correction) c.replacement = replacement(target);
                    e.body = c;
                    break;
                }
            }
            e.id = next_id++;
            out.push_back(std::move(e));
        }
        return out;
    }

  private:
    int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
    static Date day(long d) {
        const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{d}}};
        return Date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    }
    Date date() { return day(Date::parse("2023-06-01")->days_since_epoch() + pick(2900)); }
    std::string one_of(const std::vector<std::string>& list) {
        return list[static_cast<std::size_t>(pick(static_cast<int>(list.size())))];
    }
    Fact replacement(const Event& target) {
        Fact f = std::visit(
            [](const auto& body) -> Fact {
                if constexpr (std::is_same_v<std::decay_t<decltype(body)>, Correction>)
                    return PathStart{"x"};
                else
                    return body;
            },
            target.body);
        if (auto* r = std::get_if<BlocResult>(&f)) r->validated = !r->validated;
        if (auto* m = std::get_if<MobilityPeriod>(&f)) m->end = m->start;
        if (auto* a = std::get_if<Attribute>(&f)) a->value = "IT";
        if (auto* l = std::get_if<LanguageCertificate>(&f)) l->level = "C2";
        return f;
    }

    std::mt19937_64 rng_;
    std::vector<std::string> blocs_;
};

std::vector<std::string> codes(const Referentiel& ref) {
    std::vector<std::string> out;
    for (const auto& b : ref.blocs()) out.push_back(b.code);
    return out;
}

/// The columns equal the objects, check by check; returns a description of the first difference.
std::string difference(const EligibilityTable& t, const std::vector<Eligibility>& all) {
    if (t.candidates.size() != all.size()) return "number of candidates";
    const std::size_t width = t.checks();
    for (std::size_t k = 0; k < all.size(); ++k) {
        const Eligibility& a = all[k];
        std::ostringstream where;
        where << "candidate " << a.candidate << ": ";
        if (t.candidates[k] != a.candidate) return where.str() + "name";
        if (a.checks.size() < width) return where.str() + "fewer checks";
        if (t.eligible[k] != a.eligible) return where.str() + "eligible";
        if (t.problems[k] != a.checks.size() - width) return where.str() + "problems";
        for (std::size_t c = 0; c < width; ++c) {
            const Check& x = a.checks[c];
            const Finding f = t.findings[k * width + c];
            if (t.check_kinds[c] != x.kind || t.check_subjects[c] != x.subject) return where.str() + "check " + x.subject;
            if (f != x.finding)
                return where.str() + x.subject + ": " + std::string(to_string(f)) + " instead of " +
                       std::string(to_string(x.finding));
            if (t.have[k * width + c] != x.have)
                return where.str() + x.subject + ": have " + std::to_string(t.have[k * width + c]) + " instead of " +
                       std::to_string(x.have);
            if (EligibilityTable::met(f) != x.met || EligibilityTable::satisfied(f) != (x.met || !x.required))
                return where.str() + x.subject + ": met/required";
        }
    }
    return {};
}

const std::vector<Date>& dates() {
    static const std::vector<Date> list{*Date::parse("2023-12-01"), *Date::parse("2024-05-02"),
                                        *Date::parse("2025-07-01"), *Date::parse("2027-10-01"),
                                        *Date::parse("2031-01-01"), *Date::parse("2035-01-01")};
    return list;
}

}  // namespace

TEST_CASE("eligibility over columns equals the object path on random ledgers", "[ledger][table]") {
    for (const auto& [name, ref] : {std::pair{"tiny", test::tiny()}, std::pair{"rncp40514", test::rncp40514()}}) {
        for (std::uint64_t seed = 1; seed <= 6; ++seed) {
            Generator gen(seed * 7919, codes(ref));
            std::vector<Event> events;
            EventId id = 1;
            for (int c = 0; c < 300; ++c) {
                const auto mine = gen.candidate("C" + std::to_string(1000 + (c * 37) % 300), id, c % 3 == 0);
                events.insert(events.end(), mine.begin(), mine.end());
            }
            // Any order: from_events groups by candidate.
            std::shuffle(events.begin(), events.end(), std::mt19937(static_cast<unsigned>(seed)));
            const EventTable table = EventTable::from_events(events);
            // Both paths are taken: some candidates from their objects, most from the columns.
            CHECK(table.objects.size() > 30);
            CHECK(table.objects.size() < 250);
            for (const Date at : dates()) {
                const auto expected = eligibility_of_all(ref, events, at, 1);
                for (unsigned threads : {1u, 2u, 3u}) {
                    INFO(name << " seed " << seed << " as of " << at.to_string() << ", " << threads << " threads");
                    const EligibilityTable t = eligibility_table(ref, table, at, threads);
                    CHECK(difference(t, expected) == "");
                }
            }
        }
    }
}

TEST_CASE("a ledger file's typed columns give the same table and answers", "[ledger][table]") {
    TempDir dir;
    const Referentiel ref = test::tiny();
    Generator gen(4242, codes(ref));
    std::vector<Event> events;
    EventId id = 1;
    for (int c = 0; c < 200; ++c) {
        const auto mine = gen.candidate("L" + std::to_string(c), id, c % 4 == 0);
        events.insert(events.end(), mine.begin(), mine.end());
    }
    Ledger ledger = Ledger::create(dir / "l.db");
    ledger.append(events);
    REQUIRE(ledger.verify().empty());
    const EventTable from_file = ledger.event_table();
    const EventTable in_memory = EventTable::from_events(ledger.all_events_by_candidate());
    CHECK(from_file.candidates == in_memory.candidates);
    CHECK(from_file.first == in_memory.first);
    CHECK(from_file.kind == in_memory.kind);
    CHECK(from_file.day == in_memory.day);
    CHECK(from_file.outcome == in_memory.outcome);
    CHECK(from_file.start_day == in_memory.start_day);
    CHECK(from_file.end_day == in_memory.end_day);
    CHECK(from_file.third_party == in_memory.third_party);
    CHECK(from_file.objects == in_memory.objects);
    CHECK_FALSE(from_file.objects.empty());
    const auto all = ledger.all_events_by_candidate();
    for (const Date at : dates()) {
        INFO("as of " << at.to_string());
        CHECK(difference(eligibility_table(ref, from_file, at, 2), eligibility_of_all(ref, all, at)) == "");
    }
}

TEST_CASE("a JSON-lines file gives the same table as its events", "[ledger][table]") {
    TempDir dir;
    const Referentiel ref = test::tiny();
    Generator gen(77, codes(ref));
    std::vector<Event> events;
    EventId id = 1;
    for (int c = 0; c < 150; ++c) {
        const auto mine = gen.candidate("J" + std::to_string(c), id, c % 4 == 0);
        events.insert(events.end(), mine.begin(), mine.end());
    }
    std::shuffle(events.begin(), events.end(), std::mt19937(5));
    {
        std::ofstream out(dir / "events.jsonl", std::ios::binary);
        for (std::size_t i = 0; i < events.size(); ++i) out << canonical_json(events[i]) << (i % 50 == 0 ? "\n\n" : "\n");
    }
    const EventTable from_file = EventTable::from_json_lines(dir / "events.jsonl");
    const EventTable expected = EventTable::from_events(events);
    CHECK(from_file.candidates == expected.candidates);
    CHECK(from_file.first == expected.first);
    CHECK(from_file.kind == expected.kind);
    CHECK(from_file.day == expected.day);
    CHECK(from_file.start_day == expected.start_day);
    CHECK(from_file.objects == expected.objects);
    for (const Date at : dates()) {
        INFO("as of " << at.to_string());
        CHECK(difference(eligibility_table(ref, from_file, at), eligibility_of_all(ref, events, at)) == "");
    }
    std::ofstream(dir / "bad.jsonl") << canonical_json(events[0]) << "\n{\"kind\": 3}\n";
    CHECK_THROWS_WITH(EventTable::from_json_lines(dir / "bad.jsonl"), Catch::Contains("bad.jsonl:2"));
}
