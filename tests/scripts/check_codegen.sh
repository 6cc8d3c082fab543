#!/bin/sh
# Object-code checks of the codegen profiles, on the disassembly of compiled objects
# (registered by tests/scripts/codegen_profiles.cmake). POSIX sh + awk (mawk is enough).
#
#   check_codegen.sh no-simd     OBJDUMP OBJECT...        no SIMD register anywhere
#   check_codegen.sh vectorised  OBJDUMP USER_PROBE_OBJECT
#       the plain none_scan uses SIMD registers, the read_once none_scan does not
#   check_codegen.sh kernel-flags OBJDUMP KERNEL_WALKERS_OBJECT
#       kbuild's flags reached the walkers: x86_64, the indirect-call targets (WalkImpl::run())
#       start with endbr64 (-fcf-protection=branch); aarch64, atomics are inline LSE instructions, never calls to
#       the outline-atomics helpers (__aarch64_*), and functions that save LR sign it (paciasp)
#   check_codegen.sh same-loads  OBJDUMP KERNEL_PROBE_OBJECT
#       the reclaim walkers (probes ptebench_probe_reclaim_{walk,rmap}_{x86_64,arm64}_{plain,
#       read_once}, with the out-of-line check_pte() and folio_pte_batch() they call) make as
#       many memory accesses under plain as under read_once: their young test's read is the
#       architecture's own
#   check_codegen.sh single-load OBJDUMP KERNEL_PROBE_OBJECT [KERNEL_WALKERS_OBJECT]
#       READ_ONCE is one 8-byte load; two are two; the read_once none_scan's inner loop makes
#       exactly one memory access per iteration, an 8-byte load
#
# The architecture (x86_64 or aarch64) is read from the object, so the same checks run on a
# cross build with the target's objdump. Prints what it found; exit 0 pass, 1 fail, 77 skip.
set -eu

mode=${1:?usage: check_codegen.sh MODE OBJDUMP OBJECT...}
objdump=${2:?objdump path}
shift 2

fail() {
  echo "check_codegen: FAIL: $*"
  exit 1
}
skip() {
  echo "check_codegen: SKIP: $*"
  exit 77
}

[ $# -ge 1 ] || fail "no object files given"
command -v "$objdump" >/dev/null 2>&1 || skip "objdump '$objdump' not found (install binutils)"
for obj in "$@"; do
  [ -f "$obj" ] || fail "object $obj does not exist; build the project first (cmake --build)"
  "$objdump" -f "$obj" >/dev/null 2>&1 || fail "$objdump cannot read $obj (an object of another architecture?)"
done

arch=$("$objdump" -f "$1" | sed -n 's/^architecture: \([^,]*\).*/\1/p')
case $arch in
  i386:x86-64*) isa=x86_64 ;;
  aarch64*) isa=aarch64 ;;
  *) fail "$1: unsupported architecture '$arch' (expected x86_64 or aarch64)" ;;
esac
echo "check_codegen: $mode on $isa objects"

# analyse WHAT PATTERN OBJECT: runs the analysis WHAT over the functions whose demangled name
# matches the extended regular expression PATTERN ("" = every function) and prints its report.
#   simd   per function: instructions that name a SIMD/FP register; last line "TOTAL n functions"
#   loads  per function: memory accesses and 8-byte loads; last line "TOTAL mem loads8 fns"
#   loop   the innermost loop that touches memory (shortest backward branch) over the matched
#          functions: its body, then "LOOP mem loads8 simd simd_mem" (or "LOOP none")
#   vecloop the innermost loop that reads memory with SIMD instructions, reported the same way
analyse() {
  "$objdump" -d -C --no-show-raw-insn "$3" | awk -v what="$1" -v pat="$2" -v isa="$isa" '
    function hex(s,   i, n, c) {
      n = 0
      for (i = 1; i <= length(s); i++) {
        c = index("0123456789abcdef", substr(s, i, 1))
        if (c == 0) return -1
        n = n * 16 + c - 1
      }
      return n
    }
    # Whether the instruction names a SIMD/FP register. On aarch64 a code address (the target of
    # a branch or adr, the address of a literal load) is a bare hex number such as "d4" or "b8" that
    # would read like a register, so it is dropped first.
    function is_simd(mn, ops,   o) {
      if (isa == "x86_64") return ops ~ /%([xyz]?mm[0-9]+|k[0-7])/
      o = ops
      if (mn ~ /^(b|bl|b\..*|cbz|cbnz|tbz|tbnz|adr|adrp)$/ || (mn ~ /^ld/ && o !~ /\[/))
        sub(/(^|[ ,]+)[0-9a-f]+$/, "", o)
      return o ~ /(^|[^a-z0-9_.])([vz][0-9]+\.|[qdshb][0-9]+([^a-z0-9_]|$)|p[0-9]+\/)/
    }
    # Number of memory accesses the instruction makes (0, 1, or 2 for a load pair).
    function mem(mn, ops) {
      if (mn ~ /^(nop|data16|cs|ds)$/ || mn ~ /nop/) return 0  # padding
      if (isa == "x86_64") return (ops ~ /\(/ && mn !~ /^lea/) ? 1 : 0
      if (ops !~ /\[/ || mn ~ /^prfm/) return 0
      return (mn ~ /^(ld|st)[a-z]*p$/) ? 2 : 1
    }
    # Number of those that are 8-byte loads.
    function load8(mn, ops,   o) {
      if (isa == "x86_64") {
        if (mem(mn, ops) == 0 || mn ~ /^(mov|add|sub|and|or|xor|adc|sbb|inc|dec)[a-z]*$/ && ops ~ /\)$/)
          return 0  # a store or read-modify-write: the memory operand is the destination
        if (mn ~ /q$/) return 1
        o = ops
        gsub(/[^ ,]*\([^)]*\)/, "", o)
        return (o ~ /%r([abcd]x|[sd]i|[sb]p|[0-9]+)($|[^a-z0-9])/) ? 1 : 0
      }
      if (mn ~ /^(ldr|ldur|ldar|ldapr|ldxr|ldaxr)$/ && ops ~ /^x[0-9]+,/) return 1
      if (mn ~ /^ldp$/ && ops ~ /^x[0-9]+, *x[0-9]+,/) return 2
      return 0
    }
    /^[0-9a-f]+ <.*>:$/ {
      name = $0
      sub(/^[0-9a-f]+ </, "", name)
      sub(/>:$/, "", name)
      take = (pat == "" || name ~ pat)
      if (take) { nfn++; fname[nfn] = name }
      next
    }
    /^ *[0-9a-f]+:\t/ {
      if (!take) next
      line = $0
      a = line
      sub(/:.*/, "", a)
      gsub(/ /, "", a)
      sub(/^ *[0-9a-f]+:\t/, "", line)
      sub(/ <.*$/, "", line)        # symbol comments: "jne 198 <f+0x198>"
      if (isa == "x86_64") sub(/[ \t]*#.*$/, "", line)  # x86 comments; "#" is an immediate on aarch64
      else sub(/[ \t]*\/\/.*$/, "", line)
      if (line == "" || line == "...") next
      mn = line
      sub(/[ \t].*$/, "", mn)
      ops = line
      sub(/^[^ \t]+[ \t]*/, "", ops)
      n++
      fn_of[n] = nfn; addr[n] = hex(a); text[n] = line; mns[n] = mn; opss[n] = ops
      next
    }
    END {
      if (what == "simd") {
        total = 0
        for (i = 1; i <= n; i++) if (is_simd(mns[i], opss[i])) {
          total++
          cnt[fn_of[i]]++
          if (cnt[fn_of[i]] <= 3) ex[fn_of[i]] = ex[fn_of[i]] "    " text[i] "\n"
        }
        for (f = 1; f <= nfn; f++) if (cnt[f] > 0)
          printf "  %d SIMD instructions in %s\n%s", cnt[f], substr(fname[f], 1, 200), ex[f]
        print "TOTAL " total " " nfn
      } else if (what == "loads") {
        m = 0; l = 0
        for (i = 1; i <= n; i++) { m += mem(mns[i], opss[i]); l += load8(mns[i], opss[i]) }
        for (i = 1; i <= n; i++) print "    " text[i]
        print "TOTAL " m " " l " " nfn
      } else {
        # Loops: a backward branch to an instruction of the same function closes [target, branch].
        nl = 0
        for (i = 1; i <= n; i++) {
          if (isa == "x86_64" && mns[i] !~ /^j/) continue
          if (isa == "aarch64" && mns[i] !~ /^(b|b\..*|cbz|cbnz|tbz|tbnz)$/) continue
          t = opss[i]
          sub(/^.*[ ,]/, "", t)
          tgt = hex(t)
          if (tgt < 0 || tgt > addr[i]) continue
          first = 0
          for (j = i; j >= 1 && fn_of[j] == fn_of[i] && addr[j] >= tgt; j--) first = j
          if (first == 0 || addr[first] != tgt) continue
          nl++; ls[nl] = first; le[nl] = i
        }
        best = 0
        if (what == "loop") {
          # The innermost loop that touches memory: the shortest. (Block layout can close a
          # register-only cycle with a backward jump; that is not the scan.)
          for (k = 1; k <= nl; k++) {
            mk = 0
            for (i = ls[k]; i <= le[k]; i++) mk += mem(mns[i], opss[i])
            if (mk > 0 && (best == 0 || le[k] - ls[k] < le[best] - ls[best])) best = k
          }
        } else {  # "vecloop": the innermost loop that reads memory with SIMD instructions
          for (k = 1; k <= nl; k++) {
            v[k] = 0
            for (i = ls[k]; i <= le[k]; i++) if (is_simd(mns[i], opss[i]) && mem(mns[i], opss[i])) v[k]++
            if (v[k] > 0 && (best == 0 || le[k] - ls[k] < le[best] - ls[best])) best = k
          }
        }
        if (best == 0) { print "LOOP none"; exit }
        m = 0; l = 0; s = 0; sm = 0
        for (i = ls[best]; i <= le[best]; i++) {
          print "    " text[i]
          m += mem(mns[i], opss[i]); l += load8(mns[i], opss[i])
          if (is_simd(mns[i], opss[i])) { s++; if (mem(mns[i], opss[i])) sm++ }
        }
        print "  in " substr(fname[fn_of[ls[best]]], 1, 200)
        print "LOOP " m " " l " " s " " sm
      }
    }'
}

last_field() { tail -n 1 | awk "{ print \$$1 }"; }

case $mode in
  no-simd)
    status=0
    for obj in "$@"; do
      report=$(analyse simd "" "$obj")
      total=$(printf '%s\n' "$report" | last_field 2)
      functions=$(printf '%s\n' "$report" | last_field 3)
      [ "$functions" -gt 0 ] || fail "$obj: objdump found no function to inspect"
      if [ "$total" -ne 0 ]; then
        printf '%s\n' "$report" | sed '$d'
        echo "check_codegen: $obj: $total instructions use SIMD registers (expected none)"
        status=1
      else
        echo "check_codegen: $obj: no SIMD register used"
      fi
    done
    [ $status -eq 0 ] || fail "the kernel codegen profile produced SIMD code"
    echo "check_codegen: PASS"
    ;;

  vectorised)
    obj=$1
    if ! "$objdump" -t "$obj" | grep -q 'ptebench_probe_simd_available'; then
      skip "the user profile has no SIMD registers on this target (no SSE2/Advanced SIMD), so there is nothing to vectorise with"
    fi
    # Vectorised: some loop of the plain none_scan reads the entries with SIMD loads. Not
    # vectorised: the read_once none_scan's inner loop has no SIMD instruction at all (elsewhere
    # in the function the compiler may still park a scalar in a SIMD register; that is a spill,
    # not a vector of entries).
    plain=$(analyse vecloop 'ptebench_probe_none_scan_plain|none_scan<[^>]*::Plain>' "$obj")
    plain_result=$(printf '%s\n' "$plain" | tail -n 1)
    if [ "$plain_result" = "LOOP none" ]; then
      echo "check_codegen: user profile, none_scan<plain>: no loop reads entries with SIMD loads"
      fail "the user profile did not vectorise the plain-load none_scan"
    fi
    # shellcheck disable=SC2086
    set -- $plain_result
    echo "check_codegen: user profile, none_scan<plain>: vectorised; its vector loop has $5 SIMD memory accesses and $4 SIMD instructions:"
    printf '%s\n' "$plain" | sed '$d'
    read_once=$(analyse loop 'ptebench_probe_none_scan_read_once|none_scan<[^>]*::ReadOnce>' "$obj")
    read_once_result=$(printf '%s\n' "$read_once" | tail -n 1)
    [ "$read_once_result" != "LOOP none" ] || fail "no loop found in the read_once none_scan"
    # shellcheck disable=SC2086
    set -- $read_once_result
    echo "check_codegen: user profile, none_scan<read_once>: inner loop has $4 SIMD instructions, $2 memory accesses ($3 8-byte loads):"
    printf '%s\n' "$read_once" | sed '$d'
    [ "$4" -eq 0 ] || fail "the read_once none_scan's inner loop uses SIMD: its volatile loads must stay scalar"
    if [ "$2" -ne 1 ] || [ "$3" -ne 1 ]; then fail "the read_once none_scan's inner loop does not make one 8-byte load per entry"; fi
    echo "check_codegen: PASS"
    ;;

  single-load)
    probe=$1
    walkers=${2:-}
    status=0
    for fn in read_once:1 read_once_twice:2; do
      name=${fn%%:*}
      want=${fn##*:}
      report=$(analyse loads "^ptebench_probe_$name\$" "$probe")
      # shellcheck disable=SC2046
      set -- $(printf '%s\n' "$report" | tail -n 1)
      [ "$4" -eq 1 ] || fail "probe function ptebench_probe_$name not found in $probe"
      echo "check_codegen: ptebench_probe_$name: $2 memory accesses, $3 of them 8-byte loads (want $want, $want):"
      printf '%s\n' "$report" | sed '$d'
      if [ "$2" -ne "$want" ] || [ "$3" -ne "$want" ]; then status=1; fi
    done
    report=$(analyse loads '^ptebench_probe_plain_twice$' "$probe")
    # shellcheck disable=SC2046
    set -- $(printf '%s\n' "$report" | tail -n 1)
    echo "check_codegen: for comparison, plain reading one entry twice: $2 memory accesses (the compiler may merge them)"
    [ $status -eq 0 ] || fail "READ_ONCE is not exactly one 8-byte load per read"

    # The inner loop of the read_once none_scan: in the probe, and in the walkers' own object
    # per format where the loop has a symbol of its own (it may be inlined into WalkImpl::run()).
    check_loop() {  # LABEL PATTERN OBJECT [optional]
      report=$(analyse loop "$2" "$3")
      result=$(printf '%s\n' "$report" | tail -n 1)
      if [ "$result" = "LOOP none" ]; then
        [ "${4:-}" = optional ] || fail "$1: no loop found"
        echo "check_codegen: $1: no out-of-line loop (inlined into its caller); not checked there"
        return 0
      fi
      # shellcheck disable=SC2086
      set -- "$1" $result
      echo "check_codegen: $1: inner loop makes $3 memory accesses per iteration, $4 of them 8-byte loads, $5 SIMD instructions (want 1, 1, 0):"
      printf '%s\n' "$report" | sed '$d'
      if [ "$3" -ne 1 ] || [ "$4" -ne 1 ] || [ "$5" -ne 0 ]; then fail "$1: the read_once none_scan does not read each entry with exactly one 8-byte load"; fi
    }
    check_loop "probe none_scan<read_once>" \
      'ptebench_probe_none_scan_read_once|none_scan<[^>]*::ReadOnce>' "$probe"
    if [ -n "$walkers" ]; then
      for format in X86_64 Arm64; do
        check_loop "walkers none_scan<$format, read_once>" \
          "none_scan<[^>]*::$format, [^>]*::ReadOnce>" "$walkers" optional
      done
    else
      echo "check_codegen: the walkers' object not checked (none given: a sanitizer build instruments it)"
    fi
    echo "check_codegen: PASS"
    ;;
  kernel-flags)
    obj=$1
    dis=$("$objdump" -d --no-show-raw-insn "$obj")
    functions=$(printf '%s\n' "$dis" | grep -c '^[0-9a-f]* <.*>:$' || true)
    [ "$functions" -gt 0 ] || fail "$obj: objdump found no function to inspect"
    if [ "$isa" = x86_64 ]; then
      # The virtual WalkImpl::run() entries are indirect-call targets, which IBT marks with
      # endbr64 (local functions whose address is never taken need none, in the kernel too).
      dis=$("$objdump" -d -C --no-show-raw-insn "$obj")
      set -- $(printf '%s\n' "$dis" | awk '/^[0-9a-f]+ <.*WalkImpl<.*::run\(\)>:$/ { n++; getline; if ($0 ~ /endbr64/) e++ } END { print n + 0, e + 0 }')
      echo "check_codegen: $2 of $1 WalkImpl::run() entries start with endbr64 (-fcf-protection=branch)"
      [ "$1" -gt 0 ] || fail "$obj: no WalkImpl::run() found"
      [ "$1" -eq "$2" ] || fail "the kernel profile's walkers lack -fcf-protection=branch"
    else
      outline=$(printf '%s\n' "$dis" | grep -c '<__aarch64_' || true)
      lse=$(printf '%s\n' "$dis" | grep -cE '\s(cas|casa|casl|casal|swp|swpa|swpl|swpal|ldclr|ldclral|ldset|ldsetal|ldadd|ldaddal|stclr|stset|stadd)[a-z]*\s' || true)
      pac=$(printf '%s\n' "$dis" | grep -c 'paciasp' || true)
      echo "check_codegen: $outline calls to outline-atomics helpers, $lse LSE atomic instructions, $pac paciasp"
      [ "$outline" -eq 0 ] || fail "the kernel profile's walkers call outline-atomics helpers (want inline LSE)"
      [ "$lse" -gt 0 ] || fail "the kernel profile's walkers contain no LSE atomic instruction"
      [ "$pac" -gt 0 ] || fail "the kernel profile's walkers lack -mbranch-protection=pac-ret"
    fi
    echo "check_codegen: PASS"
    ;;
  same-loads)
    probe=$1
    status=0
    for walker in walk rmap; do
      for format in x86_64:X86_64 arm64:Arm64; do
        fmt=${format%%:*}
        type=${format##*:}
        for pol in plain:Plain read_once:ReadOnce; do
          p=${pol%%:*}
          t=${pol##*:}
          # The probe, the walker if not inlined into it (and its lambdas), and for rmap the
          # out-of-line check_pte() and folio_pte_batch() it calls.
          pat="^ptebench_probe_reclaim_${walker}_${fmt}_$p\$|check_pte<[^>]*::$type, [^>]*::$t>"
          pat="$pat|folio_pte_batch<[^>]*::$type, [^>]*::$t>"
          pat="$pat|reclaim_$walker<[^>]*::$type, [^>]*::$t>"
          report=$(analyse loads "$pat" "$probe")
          # shellcheck disable=SC2046
          set -- $(printf '%s\n' "$report" | tail -n 1)
          [ "$4" -ge 1 ] || fail "probe ptebench_probe_reclaim_${walker}_${fmt}_$p not found in $probe"
          eval "mem_$p=$2"
          eval "insn_$p=$(printf '%s\n' "$report" | sed '$d' | wc -l)"
        done
        # shellcheck disable=SC2154
        echo "check_codegen: reclaim_$walker/$fmt: plain $mem_plain memory accesses ($insn_plain instructions), read_once $mem_read_once ($insn_read_once instructions)"
        [ "$mem_plain" -eq "$mem_read_once" ] || status=1
      done
    done
    [ $status -eq 0 ] || fail "plain and read_once reclaim walkers make different memory accesses"
    echo "check_codegen: PASS"
    ;;
  *)
    fail "unknown mode '$mode' (no-simd | vectorised | single-load | same-loads | kernel-flags)"
    ;;
esac
