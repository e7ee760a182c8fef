// Signed checkpoints: the C2SP tlog-checkpoint body signed as a C2SP signed note
// with Ed25519 through OpenSSL EVP (docs/ledger.md, "Checkpoints").
#include <certigraph/ledger/checkpoint.hpp>

#include "ledger/sha256.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <vector>

namespace certigraph::ledger {

namespace {

struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

/// The signed-note signature line starts with an em dash and a space.
const std::string dash = "\xE2\x80\x94 ";

Key read_key(const std::filesystem::path& path, bool is_private) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw IoError(path.string() + ": cannot open the " + (is_private ? "private" : "public") + " key");
    Key key(is_private ? PEM_read_PrivateKey(f, nullptr, nullptr, nullptr)
                       : PEM_read_PUBKEY(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    const char* make = is_private ? "`openssl genpkey -algorithm ed25519 -out KEY.pem`"
                                  : "`openssl pkey -in KEY.pem -pubout -out PUB.pem`";
    if (!key)
        throw LedgerError(path.string() + ": not a PEM " + (is_private ? "private" : "public") + " key; make one with " +
                          make);
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        throw LedgerError(path.string() + ": not an Ed25519 key; make one with " + std::string(make));
    return key;
}

std::vector<std::uint8_t> raw_public(EVP_PKEY* key) {
    std::vector<std::uint8_t> raw(32);
    std::size_t size = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, raw.data(), &size) != 1 || size != 32)
        throw LedgerError("cannot read the Ed25519 public key");
    return raw;
}

/// The signed-note key hash: the first 4 bytes of SHA-256(name || "\n" || 0x01 || key).
std::array<std::uint8_t, 4> key_hash(std::string_view name, const std::vector<std::uint8_t>& raw) {
    const std::string type(1, '\x01');
    const auto d = detail::sha256(
        {name, "\n", type, std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size())});
    return {d[0], d[1], d[2], d[3]};
}

bool valid_key_name(std::string_view name) {
    if (name.empty()) return false;
    for (unsigned char c : name)
        if (c <= ' ' || c == '+' || c == 0x7F) return false;
    return true;
}

}  // namespace

std::string checkpoint_body(const Checkpoint& c) {
    return c.origin + "\n" + std::to_string(c.size) + "\n" + merkle::to_base64(c.root) + "\ntime " + c.time + "\n";
}

std::string checkpoint_reference(const Checkpoint& c) {
    return c.origin + " " + std::to_string(c.size) + " " + merkle::to_base64(c.root) + " " + c.time;
}

std::string sign_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& private_key_pem,
                            std::string_view key_name) {
    if (!valid_key_name(key_name))
        throw LedgerError("key name '" + std::string(key_name) + "': use a non-empty name without spaces or '+'");
    const Key key = read_key(private_key_pem, true);
    const std::string body = checkpoint_body(checkpoint);
    std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
    std::vector<std::uint8_t> signature(64);
    std::size_t size = signature.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), signature.data(), &size, reinterpret_cast<const unsigned char*>(body.data()),
                       body.size()) != 1 ||
        size != 64)
        throw LedgerError("Ed25519 signing failed (OpenSSL EVP_DigestSign)");
    const auto hash = key_hash(key_name, raw_public(key.get()));
    std::vector<std::uint8_t> blob(hash.begin(), hash.end());
    blob.insert(blob.end(), signature.begin(), signature.end());
    return body + "\n" + dash + std::string(key_name) + " " + merkle::to_base64(blob) + "\n";
}

Checkpoint read_checkpoint(std::string_view text, const std::filesystem::path& public_key_pem,
                           std::string_view source) {
    const std::string src(source);
    auto bad = [&](std::size_t line, const std::string& problem) -> ParseError {
        return ParseError(src, line, 0, "", problem);
    };
    const std::size_t split = text.find("\n\n");
    if (split == std::string_view::npos)
        throw bad(0, "not a signed checkpoint: no empty line between the body and the signatures");
    const std::string_view body = text.substr(0, split + 1);
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at < body.size();) {
        const std::size_t end = body.find('\n', at);
        lines.push_back(body.substr(at, end - at));
        at = end + 1;
    }
    if (lines.size() < 3) throw bad(lines.size() + 1, "a checkpoint has an origin, a size and a root line");
    Checkpoint c;
    c.origin = std::string(lines[0]);
    if (c.origin.empty()) throw bad(1, "empty origin line");
    {
        const auto* first = lines[1].data();
        const auto* last = first + lines[1].size();
        const auto [end, ec] = std::from_chars(first, last, c.size);
        if (ec != std::errc() || end != last || lines[1].empty() || (lines[1].size() > 1 && lines[1][0] == '0'))
            throw bad(2, "the tree size '" + std::string(lines[1]) + "' is not a decimal number");
    }
    const auto root = merkle::from_base64(lines[2]);
    if (!root || root->size() != 32) throw bad(3, "the root is not 32 bytes of base64");
    std::copy(root->begin(), root->end(), c.root.begin());
    for (std::size_t i = 3; i < lines.size(); ++i)
        if (lines[i].substr(0, 5) == "time ") c.time = std::string(lines[i].substr(5));

    const Key key = read_key(public_key_pem, false);
    const auto raw = raw_public(key.get());
    std::size_t line_number = lines.size() + 2;
    std::string_view rest = text.substr(split + 2);
    bool named = false;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        if (end == std::string_view::npos) throw bad(line_number, "the signature line does not end with a newline");
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end + 1);
        if (line.substr(0, dash.size()) != dash) throw bad(line_number, "a signature line starts with '— '");
        const std::string_view fields = line.substr(dash.size());
        const std::size_t space = fields.find(' ');
        if (space == std::string_view::npos) throw bad(line_number, "a signature line is '— <key name> <base64>'");
        const std::string_view name = fields.substr(0, space);
        const auto blob = merkle::from_base64(fields.substr(space + 1));
        if (!blob || blob->size() != 4 + 64) {
            ++line_number;
            continue;  // not an Ed25519 signature: another kind of key
        }
        const auto hash = key_hash(name, raw);
        if (!std::equal(hash.begin(), hash.end(), blob->begin())) {
            ++line_number;
            continue;  // another key's signature
        }
        named = true;
        std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
        if (ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), blob->data() + 4, 64, reinterpret_cast<const unsigned char*>(body.data()),
                             body.size()) == 1)
            return c;
        ++line_number;
    }
    throw LedgerError(src + ": " +
                      (named ? std::string("the signature does not verify with ") + public_key_pem.string() +
                                   ": the checkpoint was altered"
                             : "no signature by the key in " + public_key_pem.string() +
                                   " (a checkpoint signed with another key, or a wrong public key)"));
}

}  // namespace certigraph::ledger
