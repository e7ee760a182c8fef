// The exceptions certigraph throws. Everything derives from certigraph::Error.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace certigraph {

struct Diagnostic;

/// Base of every exception certigraph throws; catch this to catch them all.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A file or stream could not be opened, read or written.
class IoError : public Error {
  public:
    using Error::Error;
};

/// Input text that does not follow its format. The message starts with the
/// place (`file:line:column:` or `file: at /json/pointer:`) and ends with the fix.
class ParseError : public Error {
  public:
    /// @param source file name or "<input>"; @param line, column 1-based, 0 if unknown;
    /// @param pointer JSON pointer of the offending value, empty if not JSON.
    ParseError(std::string source, std::size_t line, std::size_t column, std::string pointer,
               const std::string& problem);

    const std::string& source() const noexcept { return source_; }
    std::size_t line() const noexcept { return line_; }
    std::size_t column() const noexcept { return column_; }
    const std::string& pointer() const noexcept { return pointer_; }
    /// What is wrong, without the place (what() is `place: problem`).
    const std::string& problem() const noexcept { return problem_; }

  private:
    std::string source_;
    std::size_t line_;
    std::size_t column_;
    std::string pointer_;
    std::string problem_;
};

/// A référentiel whose integrity check found errors; carries every diagnostic.
class InvalidReferentiel : public Error {
  public:
    explicit InvalidReferentiel(std::vector<Diagnostic> diagnostics);
    ~InvalidReferentiel() override;
    InvalidReferentiel(const InvalidReferentiel&);
    InvalidReferentiel& operator=(const InvalidReferentiel&);

    /// All diagnostics of the check, errors and warnings, in report order.
    const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

  private:
    std::vector<Diagnostic> diagnostics_;
};

/// A lookup by code or index that found nothing.
class NotFound : public Error {
  public:
    using Error::Error;
};

/// An archive that is truncated, corrupted, of an unknown kind or too new.
class SerializationError : public Error {
  public:
    using Error::Error;
};

/// A policy that does not fit its référentiel, or a cohort that does not fit the grader.
class GradingError : public Error {
  public:
    using Error::Error;
};

/// An input file with errors in several places (e.g. an evaluations CSV): nothing
/// was imported. what() gives the count and the first problems; problems() all of
/// them (up to the reader's limit), each starting with `file:line:column:`.
class InvalidInput : public Error {
  public:
    InvalidInput(std::string summary, std::vector<std::string> problems)
        : Error(std::move(summary)), problems_(std::move(problems)) {}
    const std::vector<std::string>& problems() const noexcept { return problems_; }

  private:
    std::vector<std::string> problems_;
};

}  // namespace certigraph
