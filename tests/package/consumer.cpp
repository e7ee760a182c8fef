// Loads a référentiel through the installed headers and library.
#include <certigraph/certigraph.hpp>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: consumer REFERENTIEL.json\n";
        return 2;
    }
    const certigraph::Referentiel ref = certigraph::io::load_referentiel(argv[1]);
    std::cout << ref.certification().code << ": " << ref.blocs().size() << " blocs, "
              << ref.competencies().size() << " competencies, " << ref.criteria().size()
              << " criteria (certigraph " << CERTIGRAPH_VERSION_STRING << ")\n";
    return 0;
}
