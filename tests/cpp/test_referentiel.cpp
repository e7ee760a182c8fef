// The référentiel model: builder, immutability, dense indices and queries.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace certigraph;

namespace {

std::vector<std::string> codes(const Referentiel& ref, NodeKind kind, std::span<const Index> ids) {
    std::vector<std::string> out;
    for (Index i : ids) out.emplace_back(ref.code({kind, i}));
    return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("RNCP40514 has the published structure", "[referentiel][rncp40514]") {
    const Referentiel ref = test::rncp40514();
    CHECK(ref.certification().code == "RNCP40514");
    CHECK(ref.certification().level == 6);
    CHECK(ref.count(NodeKind::bloc) == 4);
    CHECK(ref.count(NodeKind::competency) == 30);
    CHECK(ref.count(NodeKind::criterion) == 30);
    CHECK(ref.count(NodeKind::epreuve) == 5);
    CHECK(ref.certification().dates.start_of_paths == Date(2025, 9, 1));
    CHECK(ref.certification().dates.end_of_registration == Date(2029, 8, 31));
    CHECK(ref.certification().dates.last_delivery == Date(2034, 8, 31));
    CHECK(ref.certification().access_routes.size() == 6);
    CHECK(ref.certification().previous == Strings{"RNCP38732"});
    REQUIRE(ref.certification().requirements.size() == 4);

    const std::size_t per_bloc[] = {10, 7, 6, 7};
    for (Index b = 0; b < 4; ++b) {
        CHECK(ref.blocs()[b].code == "RNCP40514BC0" + std::to_string(b + 1));
        CHECK(ref.competencies_of_bloc(b).size() == per_bloc[b]);
        CHECK(ref.criteria_of_bloc(b).size() == per_bloc[b]);
    }
    // Each criterion AxEn belongs to competency AxCn.
    for (Index k = 0; k < ref.criteria().size(); ++k) {
        std::string expected = ref.criteria()[k].code;
        expected[expected.find('E')] = 'C';
        CHECK(ref.competencies()[ref.competency_of_criterion(k)].code == expected);
    }
    // The published text says "Evaluation A2C1 à A2C6": A2C7 is a real gap.
    CHECK(codes(ref, NodeKind::competency, ref.unevaluated_competencies()) == Strings{"A2C7"});
    REQUIRE(ref.diagnostics().size() == 1);
    CHECK(ref.diagnostics()[0].code == DiagnosticCode::competency_not_evaluated);
    CHECK(ref.diagnostics()[0].node == "A2C7");

    const Index ep1 = ref.index_of(NodeKind::epreuve, "EP1");
    CHECK(ref.criteria_of_epreuve(ep1).size() == 9);
    const Index a1c10 = ref.index_of(NodeKind::competency, "A1C10");
    CHECK(codes(ref, NodeKind::epreuve, ref.epreuves_covering_competency(a1c10)) == Strings{"EP2"});
}

TEST_CASE("queries follow containment, evaluation and activities", "[referentiel]") {
    const Referentiel ref = test::tiny();
    const Index bc01 = ref.index_of(NodeKind::bloc, "TEST1BC01");
    const Index a1c2 = ref.index_of(NodeKind::competency, "A1C2");
    const Index a2e1 = ref.index_of(NodeKind::criterion, "A2E1");
    const Index a3c1 = ref.index_of(NodeKind::competency, "A3C1");

    CHECK(codes(ref, NodeKind::competency, ref.competencies_of_bloc(bc01)) == Strings{"A1C1", "A1C2"});
    CHECK(codes(ref, NodeKind::criterion, ref.criteria_of_competency(a1c2)) == Strings{"A1E2", "A1E3"});
    CHECK(codes(ref, NodeKind::criterion, ref.criteria_of_bloc(bc01)) == Strings{"A1E1", "A1E2", "A1E3"});
    CHECK(ref.bloc_of_criterion(ref.index_of(NodeKind::criterion, "A1E3")) == bc01);
    CHECK(ref.blocs()[ref.bloc_of_competency(a3c1)].code == "TEST1BC03");

    // EP2 names criterion A2E1: it covers that criterion and its competency.
    CHECK(codes(ref, NodeKind::epreuve, ref.epreuves_covering_criterion(a2e1)) == Strings{"EP2"});
    CHECK(codes(ref, NodeKind::epreuve,
                ref.epreuves_covering_competency(ref.index_of(NodeKind::competency, "A2C1"))) ==
          Strings{"EP2"});
    // EP1 names competencies: it evaluates each of their criteria.
    CHECK(codes(ref, NodeKind::criterion, ref.criteria_of_epreuve(ref.index_of(NodeKind::epreuve, "EP1"))) ==
          Strings{"A1E1", "A1E2", "A1E3"});
    CHECK(codes(ref, NodeKind::competency,
                ref.competencies_of_activity(ref.index_of(NodeKind::activity, "A1.1"))) ==
          Strings{"A1C1", "A1C2"});
    CHECK(ref.unevaluated_competencies().empty());
    CHECK(ref.diagnostics().empty());
}

TEST_CASE("lookups by code pair a finder with a throwing accessor", "[referentiel]") {
    const Referentiel ref = test::tiny();
    REQUIRE(ref.find("A1E2"));
    CHECK(*ref.find("A1E2") == NodeRef{NodeKind::criterion, 1});
    CHECK_FALSE(ref.find("A9E9"));
    CHECK(ref.at("TEST1") == NodeRef{NodeKind::certification, 0});
    CHECK_THROWS_AS(ref.at("A9E9"), NotFound);
    CHECK_THROWS_WITH(ref.index_of(NodeKind::bloc, "A1C1"),
                      Catch::Contains("no bloc with code 'A1C1'"));
    CHECK_THROWS_AS(ref.competencies_of_bloc(99), NotFound);
    CHECK(ref.title({NodeKind::epreuve, 1}) == "Oral");
}

TEST_CASE("topological order puts containers first and épreuves after what they evaluate",
          "[referentiel]") {
    for (const Referentiel& ref : {test::tiny(), test::rncp40514()}) {
        const auto order = ref.topological_order();
        std::size_t total = 0;
        for (auto kind : {NodeKind::certification, NodeKind::bloc, NodeKind::activity,
                          NodeKind::competency, NodeKind::criterion, NodeKind::epreuve})
            total += ref.count(kind);
        REQUIRE(order.size() == total);
        auto position = [&](NodeRef n) {
            return std::find(order.begin(), order.end(), n) - order.begin();
        };
        CHECK(order.front() == NodeRef{NodeKind::certification, 0});
        for (Index k = 0; k < ref.criteria().size(); ++k) {
            const Index c = ref.competency_of_criterion(k);
            CHECK(position({NodeKind::competency, c}) < position({NodeKind::criterion, k}));
            CHECK(position({NodeKind::bloc, ref.bloc_of_competency(c)}) <
                  position({NodeKind::competency, c}));
            for (Index e : ref.epreuves_covering_criterion(k))
                CHECK(position({NodeKind::criterion, k}) < position({NodeKind::epreuve, e}));
        }
        CHECK(ref.topological_order() == order);  // deterministic
    }
}

TEST_CASE("a built référentiel is immutable and shares its data", "[referentiel]") {
    ReferentielBuilder b;
    b.certification({.code = "X1", .title = "X"});
    b.add(Bloc{.code = "X1BC01", .title = "Bloc"});
    b.add(Competency{.code = "C1", .title = "Comp", .bloc = "X1BC01"});
    b.add(Criterion{.code = "K1", .title = "Crit", .competency = "C1"});
    const Referentiel first = b.build();
    b.add(Criterion{.code = "K2", .title = "Crit 2", .competency = "C1"});
    const Referentiel second = b.build();
    CHECK(first.criteria().size() == 1);  // later additions do not reach a built référentiel
    CHECK(second.criteria().size() == 2);
    CHECK_FALSE(first == second);
    const Referentiel copy = first;  // NOLINT: the copy shares the data
    CHECK(copy == first);
    CHECK(copy.criteria().data() == first.criteria().data());
}
