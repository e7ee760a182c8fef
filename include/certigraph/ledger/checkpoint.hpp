// Signed checkpoints of a ledger: (origin, size, Merkle root, time) in the C2SP
// tlog-checkpoint text, signed as a C2SP signed note with an Ed25519 key kept
// outside the database (docs/ledger.md, "Checkpoints").
#pragma once

#include <certigraph/ledger/ledger.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace certigraph::ledger {

/// The note body: `origin\nsize\nbase64(root)\ntime <time>\n`.
std::string checkpoint_body(const Checkpoint& checkpoint);

/// One line naming a checkpoint in award records: `<origin> <size> <base64 root> <time>`.
std::string checkpoint_reference(const Checkpoint& checkpoint);

/// The signed note: the body, an empty line, then `— <key name> base64(key hash ||
/// signature)`. The private key is a PEM file as `openssl genpkey -algorithm ed25519`
/// writes it. Ed25519 is deterministic: the same checkpoint and key give the same text.
/// @throws IoError (unreadable key file), LedgerError (not an Ed25519 private key)
std::string sign_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& private_key_pem,
                            std::string_view key_name = "certigraph");

/// Reads a signed checkpoint and checks its signature with the public key (PEM, as
/// `openssl pkey -pubout` writes it): one signature line must carry the key's name and
/// hash and verify. @throws ParseError naming `source` and the line, LedgerError for a
/// signature that does not verify, IoError
Checkpoint read_checkpoint(std::string_view text, const std::filesystem::path& public_key_pem,
                           std::string_view source = "<checkpoint>");

}  // namespace certigraph::ledger
