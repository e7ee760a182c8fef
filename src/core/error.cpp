#include <certigraph/error.hpp>
#include <certigraph/referentiel/diagnostic.hpp>

#include <sstream>

namespace certigraph {

namespace {

std::string locate(const std::string& source, std::size_t line, std::size_t column,
                   const std::string& pointer, const std::string& problem) {
    std::ostringstream os;
    os << source;
    if (line > 0) {
        os << ':' << line;
        if (column > 0) os << ':' << column;
    }
    if (!pointer.empty()) os << ": at " << pointer;
    os << ": " << problem;
    return os.str();
}

std::string summarize(const std::vector<Diagnostic>& diagnostics) {
    std::size_t errors = 0;
    const Diagnostic* first = nullptr;
    for (const auto& d : diagnostics) {
        if (d.severity != Severity::error) continue;
        if (!first) first = &d;
        ++errors;
    }
    std::ostringstream os;
    os << "invalid référentiel: " << errors << (errors == 1 ? " error" : " errors");
    if (first) os << "; first: " << *first;
    return os.str();
}

}  // namespace

ParseError::ParseError(std::string source, std::size_t line, std::size_t column,
                       std::string pointer, const std::string& problem)
    : Error(locate(source, line, column, pointer, problem)),
      source_(std::move(source)),
      line_(line),
      column_(column),
      pointer_(std::move(pointer)),
      problem_(problem) {}

InvalidReferentiel::InvalidReferentiel(std::vector<Diagnostic> diagnostics)
    : Error(summarize(diagnostics)), diagnostics_(std::move(diagnostics)) {}
InvalidReferentiel::~InvalidReferentiel() = default;
InvalidReferentiel::InvalidReferentiel(const InvalidReferentiel&) = default;
InvalidReferentiel& InvalidReferentiel::operator=(const InvalidReferentiel&) = default;

}  // namespace certigraph
