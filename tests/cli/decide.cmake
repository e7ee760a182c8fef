# certigraph ledger decide / correct / show (bloc and outcome, --format json) /
# recordings, and award from a certification decision (issue 10), with the refusals.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(db ${WORK}/ledger.db)
include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)
run(0 "graded 8 candidates" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${SAMPLE}
    --out ${WORK}/grades.csv)
run(0 "ledger ready" ${CLI} ledger init ${db})
run(0 "recorded 31 bloc results" ${CLI} ledger record ${db} --from-grades ${WORK}/grades.csv --session 2026-06
    --date 2026-06-26 --referentiel ${REF} --policy ${POLICY})
run(0 "imported 41 events" ${CLI} ledger import ${db} ${EVIDENCE})

# Each event's bloc and outcome, or its kind's key value.
run(0 "#1 2026-06-26 bloc_result exam 2026-06: RNCP40514BC01 validated"
    ${CLI} ledger show ${db} --candidate C001)
run(0 "bloc_result exam 2026-06: RNCP40514BC02 refused" ${CLI} ledger show ${db} --candidate C002)

# The certification decision: eligibility computed from the ledger as of the date.
run(0 "recorded certification_decision #73 for C001 on 2026-07-01 \\(jury session JURY-2026-07\\): awarded \\(eligible\\)"
    ${CLI} ledger decide ${db} --candidate C001 --certification awarded --session JURY-2026-07 --date 2026-07-01
    --referentiel ${REF})
run(0 "already recorded in .*: nothing added"
    ${CLI} ledger decide ${db} --candidate C001 --certification awarded --session JURY-2026-07 --date 2026-07-01
    --referentiel ${REF})
run(2 "jury session 'JURY-2026-07' already decided the certification of 'C001' \\(event #73\\); change it with `certigraph ledger correct"
    ${CLI} ledger decide ${db} --candidate C001 --certification withheld --reason "dossier incomplet"
    --session JURY-2026-07 --date 2026-07-01 --referentiel ${REF})
run(2 "'C006' is not eligible for RNCP40514 as of 2026-07-01 \\(missing: bloc RNCP40514BC04 to validate; 0.15 more months of work experience \\(WORK_EXPERIENCE\\)\\): a certification is awarded only to an eligible candidate"
    ${CLI} ledger decide ${db} --candidate C006 --certification awarded --session JURY-2026-07 --date 2026-07-01
    --referentiel ${REF})
run(0 "recorded certification_decision #74 for C006 .*: withheld \\(not eligible\\)"
    ${CLI} ledger decide ${db} --candidate C006 --certification withheld --session JURY-2026-07 --date 2026-07-01
    --referentiel ${REF})
run(2 "no event for candidate 'NOBODY'" ${CLI} ledger decide ${db} --candidate NOBODY --certification withheld
    --session JURY-2026-07 --date 2026-07-01 --referentiel ${REF})

# A jury decision on a bloc, against the computed result.
run(0 "recorded jury_decision #75 for C002 .*: RNCP40514BC02 validated \\(overrides session 2026-06\\)"
    ${CLI} ledger decide ${db} --candidate C002 --bloc RNCP40514BC02 --validated --overrides-session 2026-06
    --reason "erreur de report de note" --session JURY-2026-07 --date 2026-07-01 --referentiel ${REF})
run(2 "bloc RNCP40514BC09 is not a bloc of RNCP40514" ${CLI} ledger decide ${db} --candidate C002
    --bloc RNCP40514BC09 --validated --reason r --session JURY-2026-07 --date 2026-07-01 --referentiel ${REF})
run(2 "has no result of bloc RNCP40514BC02 in session '2026-05' to override"
    ${CLI} ledger decide ${db} --candidate C002 --bloc RNCP40514BC02 --validated --overrides-session 2026-05
    --reason r --session JURY-2026-07 --date 2026-07-01 --referentiel ${REF})
run(2 "--bloc: a jury decision on a bloc needs --reason" ${CLI} ledger decide ${db} --candidate C003
    --bloc RNCP40514BC02 --validated --session JURY-2026-07 --date 2026-07-01 --referentiel ${REF})
run(2 "say --validated or --refused" ${CLI} ledger decide ${db} --candidate C003
    --bloc RNCP40514BC02 --reason r --session JURY-2026-07 --date 2026-07-01 --referentiel ${REF})

# Award from the decision: the same record and credential asked twice at different dates.
run(0 "C001: certified RNCP40514 on 2026-07-01 by decision #73 of jury session JURY-2026-07, 4 blocs.*C006: not certified on 2026-07-01 by decision #74"
    ${CLI} award ${db} --referentiel ${REF} --as-of 2026-07-01 --no-verify --out ${WORK}/award-1)
run(0 "C001: certified RNCP40514 on 2026-07-01 by decision #73"
    ${CLI} award ${db} --referentiel ${REF} --as-of 2027-03-01 --no-verify --out ${WORK}/award-2)
foreach(f awards/C001.json badges/C001-certification.json)
  file(READ ${WORK}/award-1/${f} one)
  file(READ ${WORK}/award-2/${f} two)
  if(NOT one STREQUAL two)
    message(FATAL_ERROR "${f} differs when asked on 2026-07-01 and on 2027-03-01")
  endif()
endforeach()
file(READ ${WORK}/award-1/awards/C001.json record)
if(NOT record MATCHES "\"decision\": 73" OR NOT record MATCHES "\"format_version\": 2" OR NOT record MATCHES "\"jury_session\": \"JURY-2026-07\"")
  message(FATAL_ERROR "the award record does not name its decision:\n${record}")
endif()
file(READ ${WORK}/award-1/awards.csv csv)
if(NOT csv MATCHES "checkpoint,decision,jury_session\n" OR NOT csv MATCHES ",73,JURY-2026-07\n")
  message(FATAL_ERROR "awards.csv lacks the decision columns:\n${csv}")
endif()

# Corrections: a bloc decision refused, a certification withheld; refusals.
run(0 "recorded correction #76 of C002 on 2026-07-02: supersedes #75: RNCP40514BC02 refused"
    ${CLI} ledger correct ${db} --event 75 --refused --reason "décision mal saisie" --date 2026-07-02)
run(2 "no event #999 in .*ledger.db \\(76 events\\); find its id with"
    ${CLI} ledger correct ${db} --event 999 --withdraw --reason r)
run(2 "event #75 is of candidate 'C002', not 'C001'; check --event"
    ${CLI} ledger correct ${db} --event 75 --candidate C001 --withdraw --reason r)
run(2 "event #1 is a bloc_result: --awarded/--withheld correct a certification_decision"
    ${CLI} ledger correct ${db} --event 1 --awarded --reason r)
run(2 "say what the event becomes" ${CLI} ledger correct ${db} --event 1 --reason r)
run(2 "decision #74 found 'C006' not eligible \\(missing: RNCP40514BC04, WORK_EXPERIENCE\\): a certification is awarded only to an eligible candidate"
    ${CLI} ledger correct ${db} --event 74 --awarded --reason r --date 2026-07-02)
run(2 "date: a correction dated 2026-06-30 cannot supersede event 73 dated 2026-07-01; date it on or after 2026-07-01 \\(nothing recorded\\)"
    ${CLI} ledger correct ${db} --event 73 --withheld --reason r --date 2026-06-30)
run(0 "recorded correction #77 of C001 on 2026-07-05: supersedes #73: withheld \\(eligible\\)"
    ${CLI} ledger correct ${db} --event 73 --withheld --reason "fraude constatée" --date 2026-07-05)
run(0 "certification: withheld on 2026-07-01 by jury session JURY-2026-07 \\(event #77, correcting #73\\)"
    ${CLI} ledger show ${db} --candidate C001)
run(0 "\"certification\": {\n +\"awarded\": false,.*\"corrects\": 73,.*\"event\": 77"
    ${CLI} ledger show ${db} --candidate C001 --format json)
run(0 "\"kind\": \"correction\"" ${CLI} ledger show ${db} --candidate C001 --format json)
run(0 "C001: not certified on 2026-07-01 by decision #77"
    ${CLI} award ${db} --referentiel ${REF} --as-of 2027-03-01 --candidate C001 --out ${WORK}/award-3)
run(0 "#1 [0-9T:Z-]+ graded_session 2026-06: 31 events \\(#1–#31\\) from .*grades.csv.*#3 [0-9T:Z-]+ evidence_import: 1 event \\(#73–#73\\) from certigraph ledger decide.*: 7 recordings, 77 events"
    ${CLI} ledger recordings ${db})
run(0 "77 events, 8 candidates, every hash chain intact" ${CLI} ledger verify ${db})
