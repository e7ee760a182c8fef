// The ledger-wide Merkle tree of RFC 9162 (Certificate Transparency v2, §2.1): every
// event in recording order is a leaf; roots, inclusion and consistency proofs and
// their verification (docs/ledger.md, "Merkle tree").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::ledger::merkle {

/// A SHA-256 digest.
using Hash = std::array<std::uint8_t, 32>;

/// SHA-256(0x00 || data): the hash of one leaf.
Hash leaf_hash(std::string_view data);
/// SHA-256(0x01 || left || right): the hash of an inner node.
Hash node_hash(const Hash& left, const Hash& right);
/// SHA-256 of nothing: the root of the empty tree.
Hash empty_root();

/// The root (MTH) of the tree over these leaf hashes, in order.
Hash root(std::span<const Hash> leaves);

/// Inclusion proof (RFC 9162 §2.1.3.1) of leaf `index` in the tree over `leaves`.
/// @throws std::out_of_range if index >= leaves.size()
std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::uint64_t index);
/// Verifies an inclusion proof per RFC 9162 §2.1.3.2.
bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                      std::span<const Hash> proof, const Hash& root);

/// Consistency proof (RFC 9162 §2.1.4.1) between the tree of the first `old_size`
/// leaves and the tree over all `leaves`. Empty when old_size is 0 or all leaves.
/// @throws std::out_of_range if old_size > leaves.size()
std::vector<Hash> consistency_proof(std::span<const Hash> leaves, std::uint64_t old_size);
/// Verifies a consistency proof per RFC 9162 §2.1.4.2.
bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, std::span<const Hash> proof);

/// The compact range [0, size): the roots of the perfect subtrees the leaves so far
/// form, largest first (one per set bit of size). Appending a leaf is O(log n)
/// hashes, and the root follows from the frontier alone.
class Frontier {
  public:
    void push(const Hash& leaf);
    std::uint64_t size() const noexcept { return size_; }
    Hash root() const;
    /// 8 bytes of size (big-endian) then the subtree hashes: what the store keeps.
    std::string serialize() const;
    /// std::nullopt when the bytes are not a frontier (wrong length for the size).
    static std::optional<Frontier> parse(std::string_view bytes);
    friend bool operator==(const Frontier&, const Frontier&) = default;

  private:
    std::uint64_t size_ = 0;
    std::vector<Hash> nodes_;  ///< largest subtree first
};

/// 64 lower-case hex digits.
std::string to_hex(const Hash& hash);
/// std::nullopt unless 64 hex digits.
std::optional<Hash> from_hex(std::string_view hex);
/// Standard base64 (RFC 4648, with padding), as checkpoints write roots.
std::string to_base64(std::span<const std::uint8_t> bytes);
/// std::nullopt if not canonical standard base64.
std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text);

}  // namespace certigraph::ledger::merkle
