// Writes the sample procès-verbal of tests/cpp/pv_sample.hpp (four candidates, exam
// and VAE, hostile text) as HTML, for the browser test (tests/browser/check_pv.py).
//   sample_pv OUT.html [--json OUT.json] [--draft] [--no-page-break] [--candidates N]
// (--json: the same record's certigraph/jury-pv JSON, which names the candidates to expect;
// --candidates N: the four candidates repeated, with new ids, to N, for a large session)
#include "pv_sample.hpp"

#include <certigraph/jury/pv.hpp>

#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: sample_pv OUT.html [--json OUT.json] [--draft] [--no-page-break] [--candidates N]\n";
        return 2;
    }
    bool sealed = true;
    certigraph::jury::PvOptions options;
    const char* json_path = nullptr;
    std::size_t candidates = 0;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--json" && i + 1 < argc) {
            json_path = argv[++i];
        } else if (arg == "--candidates" && i + 1 < argc) {
            candidates = std::stoul(argv[++i]);
        } else if (arg == "--draft") {
            sealed = false;
        } else if (arg == "--no-page-break") {
            options.page_per_candidate = false;
        } else {
            std::cerr << "sample_pv: unknown argument " << arg << "\n";
            return 2;
        }
    }
    auto record = certigraph::test::pv_sample_record(sealed);
    const auto base = record.candidates;
    for (std::size_t i = base.size(); i < candidates; ++i) {
        auto c = base[i % base.size()];
        c.candidate.id = "C-" + std::to_string(10000 + i);
        c.jury.candidate = c.candidate.id;
        record.candidates.push_back(std::move(c));
    }
    if (candidates && candidates < record.candidates.size()) record.candidates.resize(candidates);
    auto write = [](const char* path, const std::string& text) {
        std::ofstream out(path, std::ios::binary);
        out << text;
        out.close();
        if (!out) std::cerr << "sample_pv: cannot write " << path << "\n";
        return static_cast<bool>(out);
    };
    if (!write(argv[1], certigraph::jury::pv_html(record, options))) return 1;
    if (json_path && !write(json_path, certigraph::jury::pv_json(record))) return 1;
    return 0;
}
