// Private: SHA-256 through OpenSSL's EVP with one reused context per thread (the
// EVP implementation uses the CPU's SHA extensions where it has them).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace certigraph::ledger::detail {

using Digest = std::array<std::uint8_t, 32>;

/// SHA-256 of the concatenation of the parts. @throws LedgerError if OpenSSL fails.
Digest sha256(std::initializer_list<std::string_view> parts);

inline std::string_view bytes_of(const Digest& d) {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace certigraph::ledger::detail
