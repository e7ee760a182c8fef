// RFC 9162 Merkle trees against the RFC 6962 test vectors published with
// transparency-dev/merkle (proof/verify_test.go: the eight leaves, the roots of the
// trees of 1..8 leaves, and inclusion and consistency proofs), then properties: every
// proof of every tree up to 24 leaves verifies, and corrupted ones do not.
#include <certigraph/ledger/merkle.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace certigraph::ledger::merkle;

namespace {

Hash h(const char* hex) { return *from_hex(hex); }

std::string bytes(const char* hex) {
    std::string out;
    for (std::size_t i = 0; hex[i]; i += 2) out += static_cast<char>(std::stoi(std::string(hex + i, 2), nullptr, 16));
    return out;
}

/// The eight leaf inputs of the vectors.
std::vector<Hash> vector_leaves() {
    std::vector<Hash> out;
    for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                            "606162636465666768696a6b6c6d6e6f"})
        out.push_back(leaf_hash(bytes(hex)));
    return out;
}

const std::vector<Hash> roots{
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
};

std::span<const Hash> first(const std::vector<Hash>& v, std::size_t n) { return std::span<const Hash>(v).first(n); }

}  // namespace

TEST_CASE("ledger merkle: the roots of the RFC 6962 vectors", "[ledger][merkle]") {
    CHECK(to_hex(empty_root()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const auto leaves = vector_leaves();
    for (std::size_t n = 1; n <= 8; ++n) {
        INFO("tree of " << n << " leaves");
        CHECK(root(first(leaves, n)) == roots[n - 1]);
        Frontier f;
        for (std::size_t i = 0; i < n; ++i) f.push(leaves[i]);
        CHECK(f.root() == roots[n - 1]);
        CHECK(Frontier::parse(f.serialize()) == f);
    }
    CHECK(root({}) == empty_root());
    CHECK_FALSE(Frontier::parse(std::string(9, '\0')).has_value());
}

TEST_CASE("ledger merkle: inclusion proofs of the vectors", "[ledger][merkle]") {
    const auto leaves = vector_leaves();
    struct Vector {
        std::uint64_t leaf, size;  // leaf is 1-based in the vectors
        std::vector<Hash> proof;
    };
    const std::vector<Vector> vectors{
        {1, 1, {}},
        {1, 8,
         {h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
          h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
          h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}},
        {6, 8,
         {h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
          h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
          h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
        {3, 3, {h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")}},
        {2, 5,
         {h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
          h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
          h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")}},
    };
    for (const auto& v : vectors) {
        INFO("leaf " << v.leaf << " of " << v.size);
        const std::uint64_t index = v.leaf - 1;
        CHECK(inclusion_proof(first(leaves, v.size), index) == v.proof);
        CHECK(verify_inclusion(index, v.size, leaves[index], v.proof, roots[v.size - 1]));
        // Corrupted: wrong index, wrong size, wrong leaf or root, a bit flipped,
        // a component removed or added.
        CHECK_FALSE(verify_inclusion(index + 1, v.size, leaves[index], v.proof, roots[v.size - 1]));
        if (index > 0) CHECK_FALSE(verify_inclusion(index - 1, v.size, leaves[index], v.proof, roots[v.size - 1]));
        CHECK_FALSE(verify_inclusion(index, v.size * 2, leaves[index], v.proof, roots[v.size - 1]));
        CHECK_FALSE(verify_inclusion(index, v.size, leaf_hash("WrongLeaf"), v.proof, roots[v.size - 1]));
        CHECK_FALSE(verify_inclusion(index, v.size, leaves[index], v.proof, empty_root()));
        auto longer = v.proof;
        longer.push_back(roots[v.size - 1]);
        CHECK_FALSE(verify_inclusion(index, v.size, leaves[index], longer, roots[v.size - 1]));
        for (std::size_t i = 0; i < v.proof.size(); ++i) {
            auto flipped = v.proof;
            flipped[i][0] ^= 8;
            CHECK_FALSE(verify_inclusion(index, v.size, leaves[index], flipped, roots[v.size - 1]));
        }
        if (!v.proof.empty()) {
            const std::vector<Hash> shorter(v.proof.begin(), v.proof.end() - 1);
            CHECK_FALSE(verify_inclusion(index, v.size, leaves[index], shorter, roots[v.size - 1]));
        }
    }
    CHECK_FALSE(verify_inclusion(0, 0, leaves[0], {}, empty_root()));
    CHECK_THROWS_AS(inclusion_proof(first(leaves, 3), 3), std::out_of_range);
}

TEST_CASE("ledger merkle: consistency proofs of the vectors", "[ledger][merkle]") {
    const auto leaves = vector_leaves();
    struct Vector {
        std::uint64_t old_size, new_size;
        std::vector<Hash> proof;
    };
    const std::vector<Vector> vectors{
        {1, 1, {}},
        {1, 8,
         {h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
          h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
          h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}},
        {6, 8,
         {h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
          h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
          h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
        {2, 5,
         {h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
          h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")}},
        {6, 7,
         {h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
          h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
          h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
    };
    for (const auto& v : vectors) {
        INFO(v.old_size << " -> " << v.new_size);
        const Hash& r1 = roots[v.old_size - 1];
        const Hash& r2 = roots[v.new_size - 1];
        CHECK(consistency_proof(first(leaves, v.new_size), v.old_size) == v.proof);
        CHECK(verify_consistency(v.old_size, v.new_size, r1, r2, v.proof));
        if (v.proof.empty()) continue;
        CHECK_FALSE(verify_consistency(v.old_size - 1, v.new_size, r1, r2, v.proof));
        CHECK_FALSE(verify_consistency(v.old_size + 1, v.new_size, r1, r2, v.proof));
        CHECK_FALSE(verify_consistency(v.old_size, v.new_size * 2, r1, r2, v.proof));
        CHECK_FALSE(verify_consistency(v.old_size, v.new_size, r2, r1, v.proof));
        CHECK_FALSE(verify_consistency(v.old_size, v.new_size, r1, r2, {}));
        auto longer = v.proof;
        longer.push_back(r1);
        CHECK_FALSE(verify_consistency(v.old_size, v.new_size, r1, r2, longer));
        for (std::size_t i = 0; i < v.proof.size(); ++i) {
            auto flipped = v.proof;
            flipped[i][0] ^= 16;
            CHECK_FALSE(verify_consistency(v.old_size, v.new_size, r1, r2, flipped));
        }
    }
    // Always consistent: the empty tree with anything, a tree with itself.
    CHECK(verify_consistency(0, 0, empty_root(), empty_root(), {}));
    CHECK(verify_consistency(0, 1, roots[0], roots[1], {}));
    CHECK(verify_consistency(1, 1, roots[1], roots[1], {}));
    CHECK_FALSE(verify_consistency(1, 1, roots[0], roots[1], {}));
    CHECK_FALSE(verify_consistency(2, 1, roots[0], roots[1], {}));
    CHECK_FALSE(verify_consistency(1, 2, roots[0], roots[1], {}));
    CHECK_FALSE(verify_consistency(0, 1, empty_root(), empty_root(), std::vector<Hash>{empty_root()}));
}

TEST_CASE("ledger merkle: every proof of every tree up to 24 leaves verifies", "[ledger][merkle]") {
    std::vector<Hash> leaves;
    for (int i = 0; i < 24; ++i) leaves.push_back(leaf_hash("event " + std::to_string(i)));
    for (std::size_t n = 1; n <= leaves.size(); ++n) {
        const Hash r = root(first(leaves, n));
        for (std::size_t i = 0; i < n; ++i) {
            const auto proof = inclusion_proof(first(leaves, n), i);
            CHECK(verify_inclusion(i, n, leaves[i], proof, r));
            if (n > 1) CHECK_FALSE(verify_inclusion(i, n, leaves[(i + 1) % n], proof, r));
        }
        for (std::size_t m = 0; m <= n; ++m) {
            const auto proof = consistency_proof(first(leaves, n), m);
            const Hash old_root = m ? root(first(leaves, m)) : empty_root();
            CHECK(verify_consistency(m, n, old_root, r, proof));
            if (m > 0 && m < n) CHECK_FALSE(verify_consistency(m, n, leaf_hash("x"), r, proof));
        }
    }
}

TEST_CASE("ledger merkle: hex and base64", "[ledger][merkle]") {
    CHECK(to_base64(std::vector<std::uint8_t>{'f', 'o', 'o', 'b'}) == "Zm9vYg==");
    CHECK(from_base64("Zm9vYg==") == std::vector<std::uint8_t>{'f', 'o', 'o', 'b'});
    CHECK_FALSE(from_base64("Zm9vYg=").has_value());
    CHECK_FALSE(from_base64("Zm9vYh==").has_value());  // not canonical
    CHECK_FALSE(from_base64("Zm9v*g==").has_value());
    CHECK(to_base64(roots[7]) == "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");  // happy-path.json's root2
    CHECK_FALSE(from_hex("zz").has_value());
}
