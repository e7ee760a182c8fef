// RFC 9162 §2.1 Merkle trees: roots, proofs and their verification, written from the
// RFC's definitions (docs/ledger.md, "Merkle tree").
#include <certigraph/ledger/merkle.hpp>
#include <certigraph/ledger/ledger.hpp>

#include "ledger/sha256.hpp"

#include <openssl/evp.h>

#include <bit>
#include <memory>
#include <stdexcept>
#include <string>

namespace certigraph::ledger {

namespace detail {

Digest sha256(std::initializer_list<std::string_view> parts) {
    struct Free {
        void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    };
    thread_local std::unique_ptr<EVP_MD_CTX, Free> ctx(EVP_MD_CTX_new());
    // Fetched once: EVP_sha256() would make OpenSSL 3 look the implementation up
    // again at every EVP_DigestInit_ex (a lock and a search per hash).
    static EVP_MD* const md = [] {
        EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        return fetched ? fetched : const_cast<EVP_MD*>(EVP_sha256());
    }();
    Digest out{};
    unsigned size = 0;
    bool ok = ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1;
    for (auto p : parts) ok = ok && EVP_DigestUpdate(ctx.get(), p.data(), p.size()) == 1;
    ok = ok && EVP_DigestFinal_ex(ctx.get(), out.data(), &size) == 1 && size == out.size();
    if (!ok) throw LedgerError("SHA-256 failed (OpenSSL EVP)");
    return out;
}

}  // namespace detail

namespace merkle {

namespace {

constexpr char leaf_prefix[1] = {'\x00'};
constexpr char node_prefix[1] = {'\x01'};

/// The largest power of two smaller than n (n >= 2).
std::uint64_t split(std::uint64_t n) { return std::bit_floor(n - 1); }

void path(std::span<const Hash> d, std::uint64_t m, std::vector<Hash>& out) {
    const std::uint64_t n = d.size();
    if (n <= 1) return;
    const std::uint64_t k = split(n);
    if (m < k) {
        path(d.first(k), m, out);
        out.push_back(root(d.subspan(k)));
    } else {
        path(d.subspan(k), m - k, out);
        out.push_back(root(d.first(k)));
    }
}

void subproof(std::span<const Hash> d, std::uint64_t m, bool whole, std::vector<Hash>& out) {
    const std::uint64_t n = d.size();
    if (m == n) {
        if (!whole) out.push_back(root(d));
        return;
    }
    const std::uint64_t k = split(n);
    if (m <= k) {
        subproof(d.first(k), m, whole, out);
        out.push_back(root(d.subspan(k)));
    } else {
        subproof(d.subspan(k), m - k, false, out);
        out.push_back(root(d.first(k)));
    }
}

}  // namespace

Hash leaf_hash(std::string_view data) {
    return detail::sha256({std::string_view(leaf_prefix, 1), data});
}

Hash node_hash(const Hash& left, const Hash& right) {
    return detail::sha256({std::string_view(node_prefix, 1), detail::bytes_of(left), detail::bytes_of(right)});
}

Hash empty_root() { return detail::sha256({}); }

Hash root(std::span<const Hash> leaves) {
    Frontier f;
    for (const Hash& h : leaves) f.push(h);
    return f.root();
}

std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::uint64_t index) {
    if (index >= leaves.size()) throw std::out_of_range("inclusion_proof: no leaf " + std::to_string(index));
    std::vector<Hash> out;
    path(leaves, index, out);
    return out;
}

bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf, std::span<const Hash> proof,
                      const Hash& root) {
    if (index >= size) return false;
    std::uint64_t fn = index, sn = size - 1;
    Hash r = leaf;
    for (const Hash& p : proof) {
        if (sn == 0) return false;
        if ((fn & 1) || fn == sn) {
            r = node_hash(p, r);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            r = node_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

std::vector<Hash> consistency_proof(std::span<const Hash> leaves, std::uint64_t old_size) {
    if (old_size > leaves.size())
        throw std::out_of_range("consistency_proof: old size " + std::to_string(old_size) + " > " +
                                std::to_string(leaves.size()));
    std::vector<Hash> out;
    if (old_size == 0 || old_size == leaves.size()) return out;
    subproof(leaves, old_size, true, out);
    return out;
}

bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, std::span<const Hash> proof) {
    if (old_size > new_size) return false;
    if (old_size == new_size) return proof.empty() && old_root == new_root;
    if (old_size == 0) return proof.empty();  // the empty tree is a prefix of every tree
    if (proof.empty()) return false;
    std::vector<Hash> path;
    if (std::has_single_bit(old_size)) path.push_back(old_root);
    path.insert(path.end(), proof.begin(), proof.end());
    std::uint64_t fn = old_size - 1, sn = new_size - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = path.front(), sr = path.front();
    for (std::size_t i = 1; i < path.size(); ++i) {
        const Hash& c = path[i];
        if (sn == 0) return false;
        if ((fn & 1) || fn == sn) {
            fr = node_hash(c, fr);
            sr = node_hash(c, sr);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            sr = node_hash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return fr == old_root && sr == new_root && sn == 0;
}

void Frontier::push(const Hash& leaf) {
    // The subtrees are the set bits of size_, largest first: merging the new leaf
    // with the smallest subtrees while they have its height is binary addition.
    Hash carry = leaf;
    for (std::uint64_t s = size_; s & 1; s >>= 1) {
        carry = node_hash(nodes_.back(), carry);
        nodes_.pop_back();
    }
    nodes_.push_back(carry);
    ++size_;
}

Hash Frontier::root() const {
    if (nodes_.empty()) return empty_root();
    Hash r = nodes_.back();
    for (std::size_t i = nodes_.size() - 1; i-- > 0;) r = node_hash(nodes_[i], r);
    return r;
}

std::string Frontier::serialize() const {
    std::string out(8 + 32 * nodes_.size(), '\0');
    for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>(size_ >> (56 - 8 * i));
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        std::copy(nodes_[i].begin(), nodes_[i].end(), out.begin() + static_cast<std::ptrdiff_t>(8 + 32 * i));
    return out;
}

std::optional<Frontier> Frontier::parse(std::string_view bytes) {
    if (bytes.size() < 8) return std::nullopt;
    Frontier f;
    for (int i = 0; i < 8; ++i) f.size_ = (f.size_ << 8) | static_cast<std::uint8_t>(bytes[static_cast<std::size_t>(i)]);
    const auto count = static_cast<std::size_t>(std::popcount(f.size_));
    if (bytes.size() != 8 + 32 * count) return std::nullopt;
    f.nodes_.resize(count);
    for (std::size_t i = 0; i < count; ++i)
        std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(8 + 32 * i),
                  bytes.begin() + static_cast<std::ptrdiff_t>(8 + 32 * (i + 1)), f.nodes_[i].begin());
    return f;
}

std::string to_hex(const Hash& hash) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (auto b : hash) {
        out += digits[b >> 4];
        out += digits[b & 0xF];
    }
    return out;
}

std::optional<Hash> from_hex(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    auto value = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    Hash out{};
    for (std::size_t i = 0; i < 32; ++i) {
        const int hi = value(hex[2 * i]), lo = value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return out;
}

namespace {
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string to_base64(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t b0 = bytes[i], b1 = i + 1 < bytes.size() ? bytes[i + 1] : 0,
                            b2 = i + 2 < bytes.size() ? bytes[i + 2] : 0;
        const std::uint32_t v = (b0 << 16) | (b1 << 8) | b2;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? alphabet[v & 63] : '=';
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text) {
    if (text.size() % 4) return std::nullopt;
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::uint32_t v = 0;
        int pad = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            int d;
            if (c == '=' && i + 4 == text.size() && j >= 2) {
                d = 0;
                ++pad;
            } else {
                if (pad) return std::nullopt;
                const char* p = std::char_traits<char>::find(alphabet, 64, c);
                if (!p || c == '\0') return std::nullopt;
                d = static_cast<int>(p - alphabet);
            }
            v = (v << 6) | static_cast<std::uint32_t>(d);
        }
        out.push_back(static_cast<std::uint8_t>(v >> 16));
        if (pad < 2) out.push_back(static_cast<std::uint8_t>(v >> 8));
        if (pad < 1) out.push_back(static_cast<std::uint8_t>(v));
    }
    if (to_base64(out) != text) return std::nullopt;  // canonical only
    return out;
}

}  // namespace merkle

}  // namespace certigraph::ledger
