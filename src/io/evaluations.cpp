// Placeholder: the evaluations reader is being written.
#include <certigraph/io/evaluations.hpp>
