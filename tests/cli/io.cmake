# Command-line input/output conventions (docs/cli.md "Conventions", docs/security.md
# "Inputs and outputs"): - for standard input/output, formats, refusals, the formula
# guard, award file names, control characters, URL options.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)
function(run_with_stdin input expected_code regex)
  execute_process(COMMAND ${ARGN} INPUT_FILE ${input} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT code STREQUAL "${expected_code}" OR NOT "${out}${err}" MATCHES "${regex}")
    message(FATAL_ERROR "${ARGN} < ${input}: exit ${code}, expected ${expected_code} and ${regex}")
  endif()
endfunction()
set(inputs --referentiel ${REF} --policy ${POLICY} --evaluations ${SAMPLE})

# --version and --help.
run(0 "certigraph [0-9.]+\n.*référentiel JSON.*format_version 1.*ledger \\(SQLite\\) +schema version" ${CLI} --version)
run(0 "Example: +certigraph grade .*--layout.*\\(default: long\\)|Example: +certigraph grade" ${CLI} grade --help)

# - is standard output; the summary then goes to standard error.
execute_process(COMMAND ${CLI} grade ${inputs} --out - --format csv OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out MATCHES "^candidate,session,bloc,status\nC001,2026-06,RNCP40514BC01,validated\n"
   OR NOT err MATCHES "graded 8 candidates")
  message(FATAL_ERROR "grade --out -: ${code}\n${out}\n${err}")
endif()
if(EXISTS "${WORK}/-" OR EXISTS "${CMAKE_CURRENT_BINARY_DIR}/-")
  message(FATAL_ERROR "grade --out - wrote a file named -")
endif()
run(0 "candidate,session,RNCP40514BC01,RNCP40514BC02,RNCP40514BC03,RNCP40514BC04\nC001,2026-06,validated,validated,validated,validated\n"
    ${CLI} grade ${inputs} --out - --format csv --layout wide)
run(2 "standard output has no extension; say the format with --format" ${CLI} grade ${inputs} --out -)
run(2 "unknown extension '.xlsx'; use .csv or .json" ${CLI} grade ${inputs} --out ${WORK}/r.xlsx)
run(2 "--layout wide is a CSV layout" ${CLI} grade ${inputs} --out ${WORK}/r.json --layout wide)
if(EXISTS ${WORK}/r.xlsx)
  message(FATAL_ERROR "an unknown extension still wrote a file")
endif()
# An output that is an input is refused, the input intact.
configure_file(${SAMPLE} ${WORK}/sample.csv COPYONLY)
file(SHA256 ${WORK}/sample.csv before)
run(2 "sample.csv: is also an input of this command"
    ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${WORK}/sample.csv --out ${WORK}/./sample.csv)
file(SHA256 ${WORK}/sample.csv after)
if(NOT before STREQUAL after)
  message(FATAL_ERROR "grade --out = --evaluations changed the input")
endif()
run(2 "is also an input" ${CLI} convert ${REF} ${REF})
# Non-regular outputs and inputs: refused at once, never waited on.
run(2 "/dev/null: exists and is a character device" ${CLI} grade ${inputs} --out /dev/null --format csv)
run(2 "is a directory, not a regular file" ${CLI} grade --referentiel ${REF} --policy ${WORK} --evaluations ${SAMPLE} --out ${WORK}/x.csv)
run(2 "/dev/zero: is a character device" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations /dev/zero --out ${WORK}/x.csv)
execute_process(COMMAND mkfifo ${WORK}/fifo RESULT_VARIABLE fifo)
if(fifo EQUAL 0)
  run(2 "fifo: is a FIFO" ${CLI} check ${WORK}/fifo --input-format json)
endif()
# - is standard input, with its format given.
run_with_stdin(${REF} 0 "-: 4 blocs, 30 activities" ${CLI} check - --input-format json)
run(2 "standard input has no extension; say its format with --input-format" ${CLI} check -)
run_with_stdin(${SAMPLE} 0 "graded 8 candidates" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations -
               --out ${WORK}/stdin.csv)
run_with_stdin(${REF} 0 "<\\?xml" ${CLI} convert - - --from json --to xml)
run(2 "unknown extension '.yaml'" ${CLI} convert ${REF} ${WORK}/r.yaml)

# The French Excel export: detected separator and decimal comma, Windows-1252 converted.
run(1 "byte 0xE8 is not UTF-8.*--encoding windows-1252"
    ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${EXCEL} --out ${WORK}/fr.csv)
run(0 "graded 8 candidates" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${EXCEL}
    --encoding windows-1252 --out ${WORK}/fr.csv)
run(0 "graded 8 candidates" ${CLI} grade ${inputs} --out ${WORK}/utf8.csv)
file(READ ${WORK}/fr.csv french)
file(READ ${WORK}/utf8.csv original)
if(NOT french STREQUAL original)
  message(FATAL_ERROR "the French Excel export grades differently:\n${french}\n${original}")
endif()

# The formula guard: ids that a spreadsheet would run are written as text, and read back.
string(ASCII 27 esc)
file(WRITE ${WORK}/evil.csv "candidate,session,epreuve,criterion,juror,value\n=HYPERLINK(\"http://x\"),2026-06,EP1,A1E1,J1,12\n-1.5,2026-06,EP1,A1E1,J1,12\nC${esc}[31mRED,2026-06,EP1,A1E1,J1,12\n")
run(0 "graded 3 candidates" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${WORK}/evil.csv
    --out ${WORK}/evil-grades.csv)
file(READ ${WORK}/evil-grades.csv grades)
if(NOT grades MATCHES "\n\"'=HYPERLINK\\(\"\"http://x\"\"\\)\",2026-06,RNCP40514BC01," OR NOT grades MATCHES "\n-1.5,2026-06,")
  message(FATAL_ERROR "formula guard not applied as documented:\n${grades}")
endif()
run(0 "graded 3 candidates" ${CLI} --no-formula-guard grade --referentiel ${REF} --policy ${POLICY}
    --evaluations ${WORK}/evil.csv --out ${WORK}/evil-raw.csv)
file(READ ${WORK}/evil-raw.csv raw)
if(NOT raw MATCHES "\n\"=HYPERLINK")
  message(FATAL_ERROR "--no-formula-guard still guarded:\n${raw}")
endif()
string(REPLACE "incomplete" "validated" grades "${grades}")  # something to record
file(WRITE ${WORK}/evil-grades.csv "${grades}")
file(REMOVE ${WORK}/evil.db)
run(0 "ledger ready" ${CLI} ledger init ${WORK}/evil.db)
run(0 "recorded 12 bloc results" ${CLI} ledger record ${WORK}/evil.db --from-grades ${WORK}/evil-grades.csv --session 2026-06
    --date 2026-06-30 --referentiel ${REF} --policy ${POLICY})
# Read back without the guard's quote; the escape character is shown, not sent.
run(0 "=HYPERLINK\\(\"http://x\"\\): 4 events" ${CLI} ledger show ${WORK}/evil.db --candidate "=HYPERLINK(\"http://x\")")
run(0 "C\\\\x1B\\[31mRED +NOT ELIGIBLE" ${CLI} eligibility ${WORK}/evil.db --referentiel ${REF} --as-of 2026-07-01)
run(0 "\n\"'=HYPERLINK" ${CLI} eligibility ${WORK}/evil.db --referentiel ${REF} --as-of 2026-07-01 --format csv)

# award: --out '' refused, URL options checked, names collision-free, never overwritten.
run(2 "--out is empty|--out: 1 required TEXT missing" ${CLI} award ${WORK}/evil.db --referentiel ${REF} --as-of 2026-07-01 --out "")
run(2 "--issuer-id 'not a uri': not an absolute URI"
    ${CLI} award ${WORK}/evil.db --referentiel ${REF} --as-of 2026-07-01 --out ${WORK}/a1 --issuer-id "not a uri")
run(2 "--achievement-base-url 'javascript:alert\\(1\\)': not an http\\(s\\) URL"
    ${CLI} award ${WORK}/evil.db --referentiel ${REF} --as-of 2026-07-01 --out ${WORK}/a1
    --achievement-base-url "javascript:alert(1)")
file(WRITE ${WORK}/case.csv "candidate,session,epreuve,criterion,juror,value\nDup,2026-06,EP1,A1E1,J1,12\ndup,2026-06,EP1,A1E1,J1,12\n")
run(0 "graded 2" ${CLI} grade --referentiel ${REF} --policy ${POLICY} --evaluations ${WORK}/case.csv --out ${WORK}/case-grades.csv)
file(READ ${WORK}/case-grades.csv g)
# Give both a validated bloc so that both get records and badges.
string(REPLACE "incomplete" "validated" g "${g}")
file(WRITE ${WORK}/case-grades.csv "${g}")
file(REMOVE ${WORK}/case.db)
run(0 "ledger ready" ${CLI} ledger init ${WORK}/case.db)
run(0 "recorded 8 bloc results" ${CLI} ledger record ${WORK}/case.db --from-grades ${WORK}/case-grades.csv --session 2026-06
    --date 2026-06-30 --referentiel ${REF} --policy ${POLICY})
run(0 "wrote .*awards.csv: 2 records" ${CLI} award ${WORK}/case.db --referentiel ${REF} --as-of 2026-07-01 --out ${WORK}/case-awards
    --issuer-id https://school.example/issuer --achievement-base-url https://school.example/achievements)
file(GLOB records RELATIVE ${WORK}/case-awards/awards ${WORK}/case-awards/awards/*.json)
list(LENGTH records count)
if(NOT count EQUAL 2)
  message(FATAL_ERROR "two candidates whose ids differ only in case share a record file name: ${records}")
endif()
file(GLOB leftovers ${WORK}/case-awards.partial-*)
if(leftovers)
  message(FATAL_ERROR "award left its staging directory: ${leftovers}")
endif()
run(2 "exists and is not an empty directory" ${CLI} award ${WORK}/case.db --referentiel ${REF} --as-of 2026-07-01
    --out ${WORK}/case-awards)
