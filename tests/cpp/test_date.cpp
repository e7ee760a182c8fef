#include <certigraph/date.hpp>

#include <catch2/catch.hpp>

using certigraph::Date;

TEST_CASE("dates parse ISO 8601 calendar dates only", "[date]") {
    REQUIRE(Date::parse("2034-08-31") == Date(2034, 8, 31));
    CHECK(Date::parse("2024-02-29").has_value());   // leap year
    CHECK_FALSE(Date::parse("2023-02-29"));          // not a leap year
    CHECK_FALSE(Date::parse("2030-02-30"));
    CHECK_FALSE(Date::parse("2030-13-01"));
    CHECK_FALSE(Date::parse("31-08-2029"));          // the RNCP page's order, not ISO
    CHECK_FALSE(Date::parse("2030-1-01"));
    CHECK_FALSE(Date::parse("2030-01-01T00:00"));
    CHECK_FALSE(Date::parse("+030-01-01"));
    CHECK_FALSE(Date::parse(""));
    CHECK_THROWS_AS(Date(2023, 2, 29), std::invalid_argument);
}

TEST_CASE("dates order, print and count days", "[date]") {
    CHECK(Date(2029, 8, 31) < Date(2034, 8, 31));
    CHECK(Date(2025, 9, 1) > Date(2025, 8, 31));
    CHECK(Date(2025, 9, 1).to_string() == "2025-09-01");
    CHECK(Date(1970, 1, 1).days_since_epoch() == 0);
    CHECK(Date(2000, 3, 1).days_since_epoch() - Date(2000, 2, 28).days_since_epoch() == 2);
}
