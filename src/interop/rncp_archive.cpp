// Zip entries as streams (libzip), for the RNCP exports that come zipped.
#include "interop/zip.hpp"

#include <certigraph/error.hpp>

#include <zip.h>

#include <array>
#include <fstream>

namespace certigraph::interop::detail {

struct Zip::Handle {
    zip_t* archive = nullptr;
    ~Handle() {
        if (archive) zip_discard(archive);  // read-only: nothing to write back
    }
};

namespace {

class EntryBuffer : public std::streambuf {
  public:
    EntryBuffer(zip_file_t* file, std::string name) : file_(file), name_(std::move(name)) {}
    ~EntryBuffer() override { zip_fclose(file_); }

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const zip_int64_t n = zip_fread(file_, buffer_.data(), buffer_.size());
        if (n < 0)
            throw IoError("cannot read " + name_ + ": " + zip_file_strerror(file_) +
                          "; the zip is damaged, download it again");
        if (n == 0) return traits_type::eof();
        setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
        return traits_type::to_int_type(*gptr());
    }

  private:
    zip_file_t* file_;
    std::string name_;
    std::array<char, 1 << 16> buffer_{};
};

class EntryStream : public std::istream {
  public:
    EntryStream(zip_file_t* file, std::string name) : std::istream(nullptr), buffer_(file, std::move(name)) {
        rdbuf(&buffer_);
        exceptions(std::ios::badbit);  // let the buffer's IoError through
    }

  private:
    EntryBuffer buffer_;
};

}  // namespace

Zip::Zip(const std::filesystem::path& path) : handle_(std::make_unique<Handle>()), name_(path.string()) {
    int error = 0;
    handle_->archive = zip_open(name_.c_str(), ZIP_RDONLY, &error);
    if (!handle_->archive) {
        zip_error_t e;
        zip_error_init_with_code(&e, error);
        const std::string why = zip_error_strerror(&e);
        zip_error_fini(&e);
        throw IoError("cannot open " + name_ + " as a zip file: " + why);
    }
    const zip_int64_t n = zip_get_num_entries(handle_->archive, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(handle_->archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW, &st) != 0) continue;
        entries_.push_back({st.name ? st.name : "", (st.valid & ZIP_STAT_SIZE) ? st.size : 0,
                            static_cast<std::uint64_t>(i)});
    }
}

Zip::~Zip() = default;

std::unique_ptr<std::istream> Zip::open(const Entry& entry) const {
    zip_file_t* file = zip_fopen_index(handle_->archive, entry.index, 0);
    if (!file)
        throw IoError("cannot open " + entry.name + " in " + name_ + ": " +
                      zip_strerror(handle_->archive));
    return std::make_unique<EntryStream>(file, name_ + ":" + entry.name);
}

std::string Zip::read(const Entry& entry) const {
    auto in = open(entry);
    std::string out;
    std::array<char, 1 << 16> chunk{};
    while (in->read(chunk.data(), chunk.size()) || in->gcount() > 0)
        out.append(chunk.data(), static_cast<std::size_t>(in->gcount()));
    return out;
}

bool looks_like_zip(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    return in.read(magic, 4) && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

}  // namespace certigraph::interop::detail
