# certigraph ledger init / import / verify / show on a fresh file.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(db ${WORK}/ledger.db)
function(run expected_code regex)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT code STREQUAL "${expected_code}")
    message(FATAL_ERROR "${ARGN}: exit ${code}, expected ${expected_code}")
  endif()
  if(NOT "${out}${err}" MATCHES "${regex}")
    message(FATAL_ERROR "${ARGN}: output does not match ${regex}")
  endif()
endfunction()
run(0 "schema version 2, 0 events" ${CLI} ledger init ${db})
run(0 "imported 5 events" ${CLI} ledger import ${db} ${EVENTS})
run(0 "5 events, 1 candidate, every hash chain intact" ${CLI} ledger verify ${db})
run(0 "RNCP40514BC02: acquired since 2024-06-12 by exam" ${CLI} ledger show ${db} --candidate C-0001)
run(0 "\"candidate\":\"C-0001\"" ${CLI} ledger export ${db})
# A malformed file is refused whole, naming the line; the ledger is unchanged.
file(WRITE ${WORK}/bad.jsonl "{\"kind\": \"bloc_result\"}\n")
run(2 "bad.jsonl:1:" ${CLI} ledger import ${db} ${WORK}/bad.jsonl)
run(0 "5 events" ${CLI} ledger verify ${db})
run(2 "no event for candidate 'NOBODY'" ${CLI} ledger show ${db} --candidate NOBODY)

# A graded session recorded: validated and not validated results become events,
# incomplete ones (C006's bloc 4) are not recorded.
set(sessions ${WORK}/sessions.db)
run(0 "graded 8 candidates" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${SAMPLE}
    --out ${WORK}/grades.csv)
run(0 "recorded 31 bloc results of session 2026-06 .*1 incomplete or exempt, not recorded"
    ${CLI} ledger record ${sessions} --from-grades ${WORK}/grades.csv --session 2026-06 --date 2026-06-30
    --referentiel ${REF} --policy ${POLICY})
run(0 "31 events, 8 candidates, every hash chain intact" ${CLI} ledger verify ${sessions})
run(0 "RNCP40514BC02: not acquired, 1 refusal" ${CLI} ledger show ${sessions} --candidate C002)

# Candidate ids with a comma or a quote survive grade -> results CSV -> record.
file(WRITE ${WORK}/quoted.csv "candidate,session,epreuve,criterion,juror,value\n\"Dupont, Jean\",2026-06,EP1,A1E1,J1,12\n\"Le \"\"Grand\"\"\",2026-06,EP1,A1E1,J1,8\n")
run(0 "graded 2 candidates" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${WORK}/quoted.csv
    --out ${WORK}/quoted-grades.csv)
file(READ ${WORK}/quoted-grades.csv grades)
if(NOT grades MATCHES "\"Dupont, Jean\",2026-06,RNCP40514BC01,incomplete" OR NOT grades MATCHES "\"Le \"\"Grand\"\"\",2026-06,RNCP40514BC01,not_validated")
  message(FATAL_ERROR "candidate ids not quoted in the results CSV:\n${grades}")
endif()
run(0 "recorded 1 bloc result" ${CLI} ledger record ${WORK}/quoted.db --from-grades ${WORK}/quoted-grades.csv
    --session 2026-06 --date 2026-06-30 --referentiel ${REF} --policy ${POLICY})
run(0 "RNCP40514BC01: not acquired, 1 refusal" ${CLI} ledger show ${WORK}/quoted.db --candidate "Le \"Grand\"")

# Eligibility of the recorded session plus the sample's requirement evidence.
run(0 "imported 41 events" ${CLI} ledger import ${sessions} ${EVIDENCE})
run(0 "C001  ELIGIBLE as of 2026-07-01.*C005  NOT ELIGIBLE.*NO FRENCH_B1 +no certificate in that language.*8 candidates: 1 eligible, 7 not eligible"
    ${CLI} eligibility ${sessions} --referentiel ${REF} --as-of 2026-07-01)
run(0 "missing: bloc RNCP40514BC04 to validate\n +0.15 more months of work experience \\(WORK_EXPERIENCE\\)\n1 candidate: 0 eligible"
    ${CLI} eligibility ${sessions} --referentiel ${REF} --candidate C006 --as-of 2026-07-01)
run(0 "\"candidate\": \"C003\".*\"eligible\": false.*\"finding\": \"language_not_third_party\""
    ${CLI} eligibility ${sessions} --referentiel ${REF} --candidate C003 --as-of 2026-07-01 --format json)
run(0 "candidate,as_of,eligible,kind,subject,required,met,finding,reason,missing\nC001,2026-07-01,true,bloc,RNCP40514BC01,true,true,bloc_acquired,"
    ${CLI} eligibility ${sessions} --referentiel ${REF} --as-of 2026-07-01 --format csv)
# Before the session the blocs are missing; an unknown candidate is an error.
run(0 "C001  NOT ELIGIBLE as of 2026-06-01.*bloc RNCP40514BC01 to validate"
    ${CLI} eligibility ${sessions} --referentiel ${REF} --candidate C001 --as-of 2026-06-01)
run(2 "no event for candidate 'NOBODY'" ${CLI} eligibility ${sessions} --referentiel ${REF} --candidate NOBODY --as-of 2026-07-01)
run(2 "--as-of '2026-13-01' is not a date" ${CLI} eligibility ${sessions} --referentiel ${REF} --as-of 2026-13-01)

# Award records and unsigned Open Badges 3.0 credentials for the same ledger.
run(0 "C001: certified RNCP40514 on 2026-07-01, 4 blocs \\(5 credentials\\).*C002: not certified as of 2026-07-01; 3 of 4 blocs.*wrote .*awards.csv: 8 records \\(1 certified\\)"
    ${CLI} award ${sessions} --referentiel ${REF} --as-of 2026-07-01 --out ${WORK}/awards)
file(READ ${WORK}/awards/badges/C001-certification.json badge)
if(NOT badge MATCHES "\"OpenBadgeCredential\"" OR NOT badge MATCHES "\"achievementType\": *\"Certification\"" OR badge MATCHES "\"proof\"")
  message(FATAL_ERROR "unexpected certification credential:\n${badge}")
endif()
file(READ ${WORK}/awards/awards.csv awards)
if(NOT awards MATCHES "RNCP40514,Informatique et systèmes numériques,6,.*,C001,.*,2026-07-01,true,RNCP40514BC01,")
  message(FATAL_ERROR "unexpected awards.csv:\n${awards}")
endif()
# Reading commands never create a ledger for a mistyped path; award wants a fresh directory.
run(2 "no ledger there; check the path, or create one with `certigraph ledger init"
    ${CLI} eligibility ${WORK}/typo.db --referentiel ${REF} --as-of 2026-07-01)
if(EXISTS ${WORK}/typo.db)
  message(FATAL_ERROR "eligibility created ${WORK}/typo.db")
endif()
run(2 "awards: exists and is not an empty directory"
    ${CLI} award ${sessions} --referentiel ${REF} --as-of 2026-07-01 --out ${WORK}/awards)
