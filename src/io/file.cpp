#include <certigraph/error.hpp>
#include <certigraph/io/archive.hpp>
#include <certigraph/io/file.hpp>
#include <certigraph/io/json.hpp>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace certigraph::io {

namespace fs = std::filesystem;

namespace {

FileFormat require_format(const fs::path& path) {
    if (auto format = format_of(path)) return *format;
    throw IoError(path.string() + ": unknown extension '" + path.extension().string() +
                  "'; use .json, .txt (text archive), .xml (XML archive) or .bin (binary archive)");
}

ArchiveKind archive_kind(FileFormat format) {
    switch (format) {
        case FileFormat::text_archive: return ArchiveKind::text;
        case FileFormat::xml_archive: return ArchiveKind::xml;
        default: return ArchiveKind::binary;
    }
}

std::string system_error(int error) { return std::strerror(error); }

bool is_stdio(const fs::path& path) { return path.native() == "-"; }

/// What a non-regular file is, for messages.
const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

/// A file descriptor closed on scope exit.
class Descriptor {
  public:
    explicit Descriptor(int fd = -1) noexcept : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const noexcept { return fd_; }
    void reset(int fd) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }
    void release() noexcept { fd_ = -1; }
    /// close(2) with its result (a deferred write error shows here).
    int close() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd < 0 ? 0 : ::close(fd);
    }

  private:
    int fd_;
};

/// Opens a path for reading without blocking (a FIFO with no writer would) and
/// checks that it is a regular file.
int open_regular(const fs::path& path, struct stat& info) {
    Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (fd.get() < 0) {
        const int error = errno;
        throw IoError(path.string() + ": cannot open for reading: " + system_error(error) +
                      (error == ENOENT ? "; check the path" : ""));
    }
    if (::fstat(fd.get(), &info) != 0) throw IoError(path.string() + ": cannot stat: " + system_error(errno));
    if (!S_ISREG(info.st_mode))
        throw IoError(path.string() + ": is " + kind_of(info.st_mode) +
                      ", not a regular file; give a file, or `-` to read standard input");
    // Regular files never block; reads are plain from here on.
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags >= 0) ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
    const int out = fd.get();
    fd.release();
    return out;
}

std::string too_large(const std::string& what, std::size_t max_bytes) {
    return what + ": larger than the input limit of " + std::to_string(max_bytes) +
           " bytes; raise it with --max-input-size (or io::set_max_input_bytes) if this file is expected";
}

/// Reads fd to its end, at most max_bytes (one more byte says the limit is passed).
std::string read_all(int fd, const std::string& name, std::size_t max_bytes, std::size_t expected) {
    std::string text;
    text.reserve(std::min(expected, max_bytes));
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IoError(name + ": read error: " + system_error(errno));
        }
        if (n == 0) break;
        if (text.size() + static_cast<std::size_t>(n) > max_bytes) throw IoError(too_large(name, max_bytes));
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

std::atomic<std::size_t> input_limit{std::size_t{1} << 30};

/// A random suffix for temporary names (not content: outputs stay deterministic).
std::string random_suffix() {
    static thread_local std::mt19937_64 generator{std::random_device{}()};
    static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string out;
    auto bits = generator();
    for (int i = 0; i < 10; ++i, bits /= 36) out += digits[bits % 36];
    return out;
}

void refuse_inputs(const fs::path& path, const WriteOptions& options, const struct stat* target) {
    for (const auto& input : options.inputs) {
        if (input.empty() || is_stdio(input)) continue;
        bool same = false;
        struct stat info {};
        if (target && ::stat(input.c_str(), &info) == 0)
            same = info.st_dev == target->st_dev && info.st_ino == target->st_ino;
        if (!target) {
            std::error_code e1, e2;
            same = fs::weakly_canonical(fs::absolute(input, e1), e1) == fs::weakly_canonical(fs::absolute(path, e2), e2);
        }
        if (same)
            throw IoError(path.string() + ": is also an input of this command (" + input.string() +
                          "); write the output to another file");
    }
}

void write_stdout(std::string_view content) {
    std::fflush(stdout);  // keep any earlier C stdio output in order
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IoError("-: cannot write standard output: " + system_error(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::optional<FileFormat> format_of(const fs::path& path) noexcept {
    const auto ext = path.extension().string();
    if (ext == ".json") return FileFormat::json;
    if (ext == ".txt") return FileFormat::text_archive;
    if (ext == ".xml") return FileFormat::xml_archive;
    if (ext == ".bin") return FileFormat::binary_archive;
    return std::nullopt;
}

std::optional<FileFormat> format_named(std::string_view name) noexcept {
    if (name == "json") return FileFormat::json;
    if (name == "txt") return FileFormat::text_archive;
    if (name == "xml") return FileFormat::xml_archive;
    if (name == "bin") return FileFormat::binary_archive;
    return std::nullopt;
}

std::size_t max_input_bytes() noexcept { return input_limit.load(); }
void set_max_input_bytes(std::size_t bytes) noexcept { input_limit.store(bytes); }

void require_regular_input(const fs::path& path) {
    if (is_stdio(path)) return;
    struct stat info {};
    Descriptor fd(open_regular(path, info));
}

std::string read_input(const fs::path& path, std::size_t max_bytes) {
    if (is_stdio(path)) return read_all(STDIN_FILENO, "-", max_bytes, 0);
    struct stat info {};
    Descriptor fd(open_regular(path, info));
    if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) throw IoError(too_large(path.string(), max_bytes));
    return read_all(fd.get(), path.string(), max_bytes, static_cast<std::size_t>(info.st_size));
}

ReferentielBuilder read_referentiel(const fs::path& path) { return read_referentiel_as(path, require_format(path)); }

ReferentielBuilder read_referentiel_as(const fs::path& path, FileFormat format) {
    const std::string text = read_input(path);
    if (format == FileFormat::json) return parse_referentiel_json(text, path.string());
    std::istringstream in(text);
    return read_archive(in, archive_kind(format), path.string());
}

Referentiel load_referentiel(const fs::path& path) { return read_referentiel(path).build(); }

void save_referentiel(const Referentiel& referentiel, const fs::path& path) {
    save_referentiel_as(referentiel, path, require_format(path));
}

void save_referentiel_as(const Referentiel& referentiel, const fs::path& path, FileFormat format,
                         const WriteOptions& options) {
    write_file(
        path,
        [&](std::ostream& out) {
            if (format == FileFormat::json) out << referentiel_to_json(referentiel);
            else save_archive(referentiel, out, archive_kind(format));
        },
        options);
}

void write_file(const fs::path& path, const std::function<void(std::ostream&)>& write,
                const WriteOptions& options) {
    std::ostringstream out;
    write(out);  // an exception here: nothing was created
    if (!out) throw IoError(path.string() + ": could not produce the content");
    write_file(path, std::string_view(out.view()), options);
}

namespace {

/// check_output's checks; true if the target exists.
bool check_target(const fs::path& path, const WriteOptions& options) {
    if (path.empty()) throw IoError("an output path is empty; name a file, or `-` for standard output");
    const std::string name = path.string();
    if (!path.has_filename() || path.filename() == "." || path.filename() == "..")
        throw IoError(name + ": names a directory, not a file; add a file name");
    // What is there now: only a regular file is ever replaced.
    struct stat target {};
    bool exists = false;
    if (::lstat(path.c_str(), &target) == 0) {
        exists = true;
        if (!S_ISREG(target.st_mode))
            throw IoError(name + ": exists and is " + kind_of(target.st_mode) +
                          "; certigraph replaces only regular files (use `-` for standard output)");
        if (options.exclusive)
            throw IoError(name + ": exists; it is not overwritten, remove it or choose another name");
    } else if (errno != ENOENT) {
        throw IoError(name + ": cannot inspect: " + system_error(errno));
    }
    refuse_inputs(path, options, exists ? &target : nullptr);
    return exists;
}

}  // namespace

void check_output(const fs::path& path, const WriteOptions& options) {
    if (is_stdio(path)) return;
    (void)check_target(path, options);
}

void write_file(const fs::path& path, std::string_view content, const WriteOptions& options) {
    if (is_stdio(path)) {
        write_stdout(content);
        return;
    }
    const std::string name = path.string();
    (void)check_target(path, options);

    // A fresh temporary beside the target (same file system, so rename is atomic).
    const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
    fs::path temporary;
    Descriptor fd;
    for (int attempt = 0; attempt < 100 && fd.get() < 0; ++attempt) {
        temporary = directory / ("." + path.filename().string() + ".tmp-" + random_suffix());
        fd.reset(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
        if (fd.get() < 0 && errno != EEXIST) {
            const int error = errno;
            throw IoError(name + ": cannot create a file in " + directory.string() + ": " + system_error(error) +
                          (error == ENOENT ? "; create the directory first" : ""));
        }
    }
    if (fd.get() < 0) throw IoError(name + ": cannot create a temporary file beside it");

    // From here on, any failure removes the temporary.
    struct Cleanup {
        const fs::path& file;
        bool armed = true;
        ~Cleanup() {
            if (armed) ::unlink(file.c_str());
        }
    } cleanup{temporary};

    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IoError(name + ": write failed: " + system_error(errno) + "; the file was not changed");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0)
        throw IoError(name + ": write failed (fsync): " + system_error(errno) + "; the file was not changed");
    if (fd.close() != 0)
        throw IoError(name + ": write failed (close): " + system_error(errno) + "; the file was not changed");

    if (options.exclusive) {
        // link(2) fails if the name exists, atomically: never an overwrite.
        if (::link(temporary.c_str(), path.c_str()) != 0)
            throw IoError(name + ": cannot create: " + system_error(errno) +
                          (errno == EEXIST ? "; it is not overwritten, remove it or choose another name" : ""));
        ::unlink(temporary.c_str());
    } else if (::rename(temporary.c_str(), path.c_str()) != 0) {
        throw IoError(name + ": cannot replace: " + system_error(errno) + "; the file was not changed");
    }
    cleanup.armed = false;
    // Make the new name durable too.
    Descriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) (void)::fsync(dir.get());
}

}  // namespace certigraph::io
