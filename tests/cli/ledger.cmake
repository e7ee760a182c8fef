# certigraph ledger init / import / verify / show on a fresh file.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(db ${WORK}/ledger.db)
include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)
run(0 "schema version 5, 0 events, id [0-9a-f]+" ${CLI} ledger init ${db})
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
# Only `ledger init` makes a ledger: record into a missing file is refused.
run(2 "sessions.db: no ledger there; .*ledger init" ${CLI} ledger record ${sessions} --from-grades ${WORK}/none.csv
    --session 2026-06 --date 2026-06-30 --referentiel ${REF} --policy ${POLICY})
run(0 "ledger ready" ${CLI} ledger init ${sessions})
run(0 "graded 8 candidates" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${SAMPLE}
    --out ${WORK}/grades.csv)
run(0 "recorded 31 bloc results of session 2026-06 .*1 incomplete or exempt, not recorded"
    ${CLI} ledger record ${sessions} --from-grades ${WORK}/grades.csv --session 2026-06 --date 2026-06-30
    --referentiel ${REF} --policy ${POLICY})
run(0 "31 events, 8 candidates, every hash chain intact" ${CLI} ledger verify ${sessions})
# Recorded twice (same file, same session): nothing added, said so.
run(0 "already recorded in .*sessions.db \\(recording 1 of [0-9T:Z-]+\\): nothing added"
    ${CLI} ledger record ${sessions} --from-grades ${WORK}/grades.csv --session 2026-06 --date 2026-06-30
    --referentiel ${REF} --policy ${POLICY})
# The same session with another date: its results are on record, refused naming the line.
run(2 "grades.csv:2: candidate 'C001' already has a result for bloc RNCP40514BC01 in session '2026-06'"
    ${CLI} ledger record ${sessions} --from-grades ${WORK}/grades.csv --session 2026-06 --date 2026-07-01
    --referentiel ${REF} --policy ${POLICY})
# Conflicting rows in one grades file are refused with their lines.
file(READ ${WORK}/grades.csv grades_text)
file(WRITE ${WORK}/conflict.csv "${grades_text}C001,2026-06,RNCP40514BC01,not_validated\n")
run(2 "conflict.csv:34: candidate 'C001', bloc RNCP40514BC01 is not_validated here and validated on line 2"
    ${CLI} ledger record ${sessions} --from-grades ${WORK}/conflict.csv --session 2026-06 --date 2026-07-30
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
run(0 "ledger ready" ${CLI} ledger init ${WORK}/quoted.db)
run(0 "recorded 1 bloc result" ${CLI} ledger record ${WORK}/quoted.db --from-grades ${WORK}/quoted-grades.csv
    --session 2026-06 --date 2026-06-30 --referentiel ${REF} --policy ${POLICY})
run(0 "RNCP40514BC01: not acquired, 1 refusal" ${CLI} ledger show ${WORK}/quoted.db --candidate "Le \"Grand\"")

# Eligibility of the recorded session plus the sample's requirement evidence.
run(0 "imported 41 events" ${CLI} ledger import ${sessions} ${EVIDENCE})
run(0 "already recorded in .*: nothing added" ${CLI} ledger import ${sessions} ${EVIDENCE})
run(0 "C001  ELIGIBLE as of 2026-07-01.*C005  NOT ELIGIBLE.*NO FRENCH_B1 +no certificate in that language.*8 candidates: 1 eligible, 7 not eligible"
    ${CLI} eligibility ${sessions} --referentiel ${REF} --as-of 2026-07-01)
run(0 "missing: bloc RNCP40514BC04 to validate\n +0.15 more months of work experience \\(WORK_EXPERIENCE\\)\n1 candidate: 0 eligible"
    ${CLI} eligibility ${sessions} --referentiel ${REF} --candidate C006 --as-of 2026-07-01)
run(0 "\"candidate\": \"C003\".*\"eligible\": false.*\"finding\": \"language_not_third_party\""
    ${CLI} eligibility ${sessions} --referentiel ${REF} --candidate C003 --as-of 2026-07-01 --format json)
run(0 "candidate,as_of,eligible,kind,subject,required,met,finding,reason,missing\nC001,2026-07-01,true,bloc,RNCP40514BC01,true,true,bloc_acquired,"
    ${CLI} eligibility ${sessions} --referentiel ${REF} --as-of 2026-07-01 --format csv)
# From the ledger's JSON lines (--events) the answers are the same, byte for byte;
# --format summary (typed columns) gives each check's finding, from either source.
execute_process(COMMAND ${CLI} ledger export ${sessions} OUTPUT_FILE ${WORK}/sessions.jsonl RESULT_VARIABLE code)
foreach(format text json csv summary)
  execute_process(COMMAND ${CLI} eligibility ${sessions} --referentiel ${REF} --as-of 2026-07-01 --format ${format}
                  OUTPUT_VARIABLE from_ledger RESULT_VARIABLE code1)
  execute_process(COMMAND ${CLI} eligibility --events ${WORK}/sessions.jsonl --referentiel ${REF} --as-of 2026-07-01
                          --format ${format}
                  OUTPUT_VARIABLE from_lines RESULT_VARIABLE code2)
  if(NOT code1 EQUAL 0 OR NOT code2 EQUAL 0 OR NOT from_ledger STREQUAL from_lines OR from_ledger STREQUAL "")
    message(FATAL_ERROR "eligibility --format ${format}: the ledger (exit ${code1}) and its JSON lines (exit ${code2}) differ:\n${from_ledger}\n---\n${from_lines}")
  endif()
endforeach()
run(0 "^candidate,as_of,eligible,RNCP40514BC01,RNCP40514BC02,RNCP40514BC03,RNCP40514BC04,ENGLISH_B1,INTERNATIONAL_MOBILITY,WORK_EXPERIENCE,FRENCH_B1,delivery_window,ledger_problems\nC001,2026-07-01,true,bloc_acquired,bloc_acquired,bloc_acquired,bloc_acquired,requirement_met,requirement_met,requirement_met,requirement_not_applicable,window_met,0\n.*C006,2026-07-01,false,bloc_acquired,bloc_acquired,bloc_acquired,bloc_not_assessed,requirement_met,requirement_met,experience_short,requirement_not_applicable,window_met,0\n.*C008,[^\n]*,condition_unknown,window_met,0\n$"
    ${CLI} eligibility ${sessions} --referentiel ${REF} --as-of 2026-07-01 --format summary)
run(0 "ledger_problems\nC005,2026-07-01,false,bloc_acquired,bloc_acquired,bloc_acquired,bloc_acquired,requirement_met,requirement_met,requirement_met,language_missing,window_met,0\n$"
    ${CLI} eligibility --events ${WORK}/sessions.jsonl --referentiel ${REF} --candidate C005 --as-of 2026-07-01
    --format summary)
run(2 "no event for candidate 'NOBODY'" ${CLI} eligibility --events ${WORK}/sessions.jsonl --referentiel ${REF}
    --candidate NOBODY --as-of 2026-07-01 --format summary)
run(2 "give the ledger file DB, or --events" ${CLI} eligibility --referentiel ${REF} --as-of 2026-07-01)
# A file that is not JSON lines of events is refused naming its line, by both paths.
foreach(format text summary)
  run(2 "grades.csv:1:1: malformed JSON" ${CLI} eligibility --events ${WORK}/grades.csv --referentiel ${REF} --as-of 2026-07-01
      --format ${format})
endforeach()
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

# Only ledgers are ledgers: an empty file and another application's file are
# refused by every reading command, and left as they were.
file(WRITE ${WORK}/empty.db "")
foreach(command "ledger;verify" "ledger;export" "ledger;show;--candidate;C001")
  run(2 "empty.db: not a certigraph ledger: the file is an empty file \\(0 bytes\\)" ${CLI} ${command} ${WORK}/empty.db)
endforeach()
run(2 "empty.db: not a certigraph ledger" ${CLI} eligibility ${WORK}/empty.db --referentiel ${REF} --as-of 2026-07-01)
run(2 "empty.db: not a certigraph ledger" ${CLI} award ${WORK}/empty.db --referentiel ${REF} --as-of 2026-07-01
    --out ${WORK}/awards-empty)
file(SIZE ${WORK}/empty.db size)
if(NOT size EQUAL 0 OR EXISTS ${WORK}/empty.db-wal)
  message(FATAL_ERROR "a reading command changed the empty file")
endif()
run(2 "not a certigraph ledger: the file is not an SQLite database" ${CLI} ledger verify ${REF})
# `ledger init` makes a ledger of the empty file.
run(0 "empty.db: ledger ready \\(schema version 5" ${CLI} ledger init ${WORK}/empty.db)
# `ledger init` on a file that is not a ledger refuses it and leaves it as it is.
file(WRITE ${WORK}/notes.txt "some notes\n")
run(2 "notes.txt: not a certigraph ledger: the file is not an SQLite database; it is left as it is"
    ${CLI} ledger init ${WORK}/notes.txt)
file(READ ${WORK}/notes.txt notes)
if(NOT notes STREQUAL "some notes\n")
  message(FATAL_ERROR "ledger init changed notes.txt")
endif()
# `ledger vacuum` rewrites a ledger compactly; it verifies as before, and records.
run(0 "sessions.db: [0-9]+ bytes before, [0-9]+ after, 64 KiB pages" ${CLI} ledger vacuum ${sessions})
run(0 "72 events, 8 candidates, every hash chain intact" ${CLI} ledger verify ${sessions})
run(2 "not a certigraph ledger: the file is not an SQLite database" ${CLI} ledger vacuum ${REF})
