// Private: reading entries of a zip file (libzip) as streams.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

namespace certigraph::interop::detail {

/// An open zip file. @throws IoError naming the file when it is not a readable zip.
class Zip {
  public:
    explicit Zip(const std::filesystem::path& path);
    ~Zip();
    Zip(const Zip&) = delete;
    Zip& operator=(const Zip&) = delete;

    struct Entry {
        std::string name;  ///< as stored (zip names with accents are often not UTF-8)
        std::uint64_t size = 0;
        std::uint64_t index = 0;
    };
    const std::vector<Entry>& entries() const noexcept { return entries_; }

    /// A stream over one entry's uncompressed bytes.
    std::unique_ptr<std::istream> open(const Entry& entry) const;

    /// The whole entry. @throws IoError
    std::string read(const Entry& entry) const;

    const std::string& name() const noexcept { return name_; }

  private:
    struct Handle;
    std::unique_ptr<Handle> handle_;
    std::vector<Entry> entries_;
    std::string name_;
};

/// True when the file starts with the zip signature "PK\x03\x04".
bool looks_like_zip(const std::filesystem::path& path);

}  // namespace certigraph::interop::detail
