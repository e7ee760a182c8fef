// Placeholder: tests of the evaluations reader are being written.
#include <catch2/catch.hpp>
