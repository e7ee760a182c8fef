// Umbrella header: the whole public API of certigraph.
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/error.hpp>
#include <certigraph/grading/cohort.hpp>
#include <certigraph/grading/grader.hpp>
#include <certigraph/grading/policy.hpp>
#include <certigraph/grading/scale.hpp>
#include <certigraph/io/archive.hpp>
#include <certigraph/io/evaluations.hpp>
#include <certigraph/io/file.hpp>
#include <certigraph/interop/case.hpp>
#include <certigraph/interop/exchange.hpp>
#include <certigraph/interop/lms.hpp>
#include <certigraph/interop/merge.hpp>
#include <certigraph/io/json.hpp>
#include <certigraph/ledger/award.hpp>
#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/event.hpp>
#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>
#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/diagnostic.hpp>
#include <certigraph/referentiel/nodes.hpp>
#include <certigraph/referentiel/referentiel.hpp>
#include <certigraph/version.hpp>
