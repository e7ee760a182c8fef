# certigraph jury check / grid / decide / seal / pv on the sample cohort's jury.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)
set(session ${WORK}/session.json)

# The example complies; M3 is recused for the two candidates she trained.
run(0 "C003 +jury M1 M2 M4 \\(president M1\\), recused M3.*info  JURY-RECUSED  C005.*the jury complies for every candidate"
    ${CLI} jury check ${EXAMPLE})
run(0 "\"compliant\": true" ${CLI} jury check ${EXAMPLE} --format json)

# Copied elsewhere by `decide --out`: the grading paths are rebased and still resolve.
run(0 "session.json: 31 decisions added, 0 replaced" ${CLI} jury decide ${EXAMPLE} --confirm-rest --out ${session})
run(0 "C002  exam, jury M1 M2 M3 M4\n  RNCP40514BC01 +validated +\\+1.00 +confirm.*every decision is taken: ready to seal"
    ${CLI} jury grid ${session})

# Against the computed result without a reason: the grid says what stops sealing.
run(0 "1 decision added|0 decisions added, 1 replaced" ${CLI} jury decide ${session} --candidate C002 --bloc RNCP40514BC02 --validate)
run(1 "DECISION-REASON \\(1\\).*validates C002 / RNCP40514BC02 against the computed result \\(not_validated\\) without a reason"
    ${CLI} jury grid ${session})
# A tie without the casting vote, then with it.
run(0 "1 replaced" ${CLI} jury decide ${session} --candidate C002 --bloc RNCP40514BC02 --validate
    --reason "project assessed in the company" --votes 2:2:0)
run(1 "DECISION-TIE \\(1\\).*2 votes to 2 on C002 / RNCP40514BC02: a tie" ${CLI} jury grid ${session})
run(0 "1 replaced" ${CLI} jury decide ${session} --candidate C002 --bloc RNCP40514BC02 --validate
    --reason "project assessed in the company" --votes 2:2:0 --casting-vote validate)
run(0 "validate \\(against\\), votes 2-2-0, casting vote validate: project assessed" ${CLI} jury grid ${session})
# Votes for a jury of four must count four.
run(0 "1 replaced" ${CLI} jury decide ${session} --candidate C003 --bloc RNCP40514BC01 --confirm --votes 3:1:0)
run(1 "DECISION-VOTES.*4 votes and abstentions on C003 / RNCP40514BC01 for 3 deciding members" ${CLI} jury grid ${session})
run(0 "1 replaced" ${CLI} jury decide ${session} --candidate C003 --bloc RNCP40514BC01 --confirm --votes 3:0:0)
run(0 "ready to seal" ${CLI} jury grid ${session})
# Decisions from a CSV.
file(WRITE ${WORK}/decisions.csv "candidate,bloc,verdict,reason,validate,refuse,abstain,casting_vote\nC007,RNCP40514BC03,confirm,,3,1,0,\n")
run(0 "0 decisions added, 1 replaced" ${CLI} jury decide ${session} --from ${WORK}/decisions.csv)
file(WRITE ${WORK}/bad-decisions.csv "candidate,bloc,verdict\nC007,RNCP40514BC03,maybe\n")
run(1 "bad-decisions.csv:2: verdict 'maybe': write confirm, validate or refuse" ${CLI} jury decide ${session} --from ${WORK}/bad-decisions.csv)
run(2 "'C999' is not a candidate of JURY-2026-06" ${CLI} jury decide ${session} --candidate C999 --bloc RNCP40514BC01 --confirm)
run(0 "C007 \\(session 2026-06\\)\n.*RNCP40514BC01.*not_validated" ${CLI} jury grid ${session} --explain C007)
run(0 "candidate,route,bloc,computed,margin,verdict,validated,against,reason\nC001,exam,RNCP40514BC01,validated,\\+2.85,confirm,true,false,"
    ${CLI} jury grid ${session} --format csv)

# A jury without its president for a candidate does not comply: exit 1 and the finding.
file(READ ${session} text)
string(REPLACE "\"links\": []\n    },\n    {\n      \"id\": \"M2\"" "\"links\": [{\"candidate\": \"C001\", \"kind\": \"relative_of\"}]\n    },\n    {\n      \"id\": \"M2\"" broken "${text}")
file(WRITE ${WORK}/no-president.json "${broken}")
run(1 "ERROR  JURY-PRESIDENT  C001.*the jury does not comply" ${CLI} jury check ${WORK}/no-president.json)
# A strict reader: an unknown key names its JSON pointer.
string(REPLACE "\"place\"" "\"venue\"" broken "${text}")
file(WRITE ${WORK}/unknown-key.json "${broken}")
run(2 "unknown-key.json.*/venue.*unknown key 'venue'" ${CLI} jury check ${WORK}/unknown-key.json)

# Sealing: the decisions become ledger events in one recording, once.
set(db ${WORK}/ledger.db)
run(0 "ledger ready" ${CLI} ledger init ${db})
run(0 "imported 41 events" ${CLI} ledger import ${db} ${EVIDENCE})
run(1 "cannot be sealed: 1 problem \\(nothing recorded\\).*COMPOSITION.*the jury deciding on C001 does not comply" ${CLI} jury seal ${WORK}/no-president.json --ledger ${db})
run(0 "JURY-2026-06 sealed: sha256:[0-9a-f]+\n  40 events recorded in .*ledger.db \\(recording 2, .*C002      certification awarded.*C003      certification not awarded \\(missing: ENGLISH_B1\\).*sealed record: .*session.sealed.json"
    ${CLI} jury seal ${session} --ledger ${db})
run(1 "refused: jury session JURY-2026-06 was sealed and recorded on .* \\(recording 2\\): nothing added" ${CLI} jury seal ${session} --ledger ${db})
run(0 "81 events, 8 candidates, every hash chain intact" ${CLI} ledger verify ${db})
run(0 "jury_decision jury_decision JURY-2026-06: RNCP40514BC02 validated \\(overrides session 2026-06\\).*certification: awarded on 2026-06-30 by jury session JURY-2026-06"
    ${CLI} ledger show ${db} --candidate C002)

# The procès-verbal of the sealed record, as HTML, CSV and JSON; a draft of the session.
run(0 "pv.html: procès-verbal of JURY-2026-06, 8 candidates, sealed sha256:" ${CLI} jury pv ${WORK}/session.sealed.json --out ${WORK}/pv.html)
run(0 "pv.json: procès-verbal" ${CLI} jury pv ${WORK}/session.sealed.json --out ${WORK}/pv.json)
run(0 "pv.csv: procès-verbal" ${CLI} jury pv ${WORK}/session.sealed.json --out ${WORK}/pv.csv)
file(READ ${WORK}/pv.csv csv)
if(NOT csv MATCHES "JURY-2026-06,2026-06-30,RNCP40514,C002,,exam,RNCP40514BC02,[^\n]*,not_validated,-2.2,validate,true,true,project assessed in the company,2,2,0,validate,awarded,true")
  message(FATAL_ERROR "pv.csv lacks C002's decision against the computed result:\n${csv}")
endif()
run(0 "DRAFT \\(not sealed\\)" ${CLI} jury pv ${session} --out ${WORK}/draft.html --ledger ${db})
# An edit of the sealed record is detected.
file(READ ${WORK}/session.sealed.json sealed)
string(REPLACE "\"awarded\": false" "\"awarded\": true" forged "${sealed}")
file(WRITE ${WORK}/forged.sealed.json "${forged}")
run(1 "forged.sealed.json: the record was changed after it was sealed" ${CLI} jury pv ${WORK}/forged.sealed.json --out ${WORK}/forged.html)
if(EXISTS ${WORK}/forged.html)
  message(FATAL_ERROR "a procès-verbal was written for a forged record")
endif()
# Malformed input (a syntax error, a repeated key): refused at its place by the one
# strict parse of the input, nothing written.
file(WRITE ${WORK}/broken.sealed.json "{\"format\": \"certigraph/jury-record\",")
run(2 "broken.sealed.json:1:37: malformed JSON" ${CLI} jury pv ${WORK}/broken.sealed.json --out ${WORK}/broken.html)
file(WRITE ${WORK}/twice.sealed.json "{\"format\": \"certigraph/jury-record\", \"format\": \"x\"}")
run(2 "twice.sealed.json: at /format: duplicate key 'format'" ${CLI} jury pv ${WORK}/twice.sealed.json --out ${WORK}/twice.html)
if(EXISTS ${WORK}/broken.html OR EXISTS ${WORK}/twice.html)
  message(FATAL_ERROR "a procès-verbal was written for a malformed input")
endif()
