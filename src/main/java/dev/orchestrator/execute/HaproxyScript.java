package dev.orchestrator.execute;

/**
 * The POSIX {@code sh} functions of a {@link HaproxyModule}'s script: {@code __hx CMD} sends one
 * command line on a fresh connection to the stats socket and prints the answer (socat, else
 * python3), {@code __rows PX} prints the {@code show stat} rows of server {@code $H} in backend PX
 * (any when empty) as {@code status TAB weight TAB scur}, {@code __each FN STATUS} runs the command
 * line {@code FN} prints for each backend where the server exists (as {@code haproxy.py}'s {@code
 * execute_for_backends}), {@code __wait PX STATUS} its {@code wait_until_status}, {@code
 * __since_1_5} its {@code discover_version} check. Only fixed words are part of the text.
 */
final class HaproxyScript {
  private HaproxyScript() {}

  /** The functions, after {@link ServiceScript#PRELUDE}. */
  static final String TEXT =
      """
      S=$__ORCH_HAPROXY_SOCKET
      case $S in "~/"*) S=$HOME/${S#"~/"} ;; esac
      H=$__ORCH_HAPROXY_HOST
      B=$__ORCH_HAPROXY_BACKEND
      __t=$(mktemp -d) || __svc_fail 'mktemp failed'
      trap 'rm -rf "$__t"' EXIT
      __hx() {
        __via=python3
        case $S in
          *[!A-Za-z0-9/._+-]*) ;;
          *) if command -v socat >/dev/null 2>&1; then __via=socat; fi ;;
        esac
        if [ $__via = socat ]; then
          printf '%s\\n' "$1" | socat -t 10 - "UNIX-CONNECT:$S" 2>"$__t/e" \\
            || __svc_fail "cannot reach the haproxy socket $S: $(tail -n 1 "$__t/e")"
        elif command -v python3 >/dev/null 2>&1; then
          python3 -c 'import socket, sys
      c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
      c.connect(sys.argv[1])
      c.sendall((sys.argv[2] + "\\n").encode())
      while True:
          b = c.recv(1024)
          if not b:
              break
          sys.stdout.buffer.write(b)
      c.close()' "$S" "$1" 2>"$__t/e" \\
            || __svc_fail "cannot reach the haproxy socket $S: $(tail -n 1 "$__t/e")"
        else
          __svc_fail "neither socat nor python3 is on the host to reach the haproxy socket $S"
        fi
      }
      __stat() {
        __hx 'show stat' >"$__t/s"
        sed '1s/^[# ]*//' "$__t/s" >"$__t/csv"
      }
      __rows() {
        __stat
        __PX=$1 awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
          $c["svname"] == ENVIRON["__ORCH_HAPROXY_HOST"] && (ENVIRON["__PX"] == "" || $c["pxname"] == ENVIRON["__PX"]) {
            print $c["status"] "\\t" $c["weight"] "\\t" $c["scur"] }' "$__t/csv"
      }
      __each() {
        if [ -n "$B" ]; then printf '%s\\n' "$B" >"$__t/bk"
        else
          __stat
          awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            $c["svname"] == "BACKEND" { print $c["pxname"] }' "$__t/csv" >"$__t/bk"
        fi
        while IFS= read -r px <&3; do
          __rows "$px" >"$__t/r"
          if [ ! -s "$__t/r" ]; then
            [ "$__ORCH_HAPROXY_FAILNF" != 1 ] || __svc_fail "The specified backend '$px/$H' was not found!"
            continue
          fi
          __c=$($1 "$px")
          __hx "$__c" >"$__t/a"
          printf '@@command %s\\n' "$__c"
          sed 's/^/@@output|/' "$__t/a"
          echo @@output-end
          [ "$__ORCH_HAPROXY_WAIT" != 1 ] || __wait "$px" "$2"
        done 3<"$__t/bk"
      }
      __wait() {
        __i=1
        while [ "$__i" -lt "$__ORCH_HAPROXY_RETRIES" ]; do
          __rows "$1" >"$__t/w"
          __st=$(head -n 1 "$__t/w" | cut -f 1)
          __sc=$(head -n 1 "$__t/w" | cut -f 3)
          case $__st in
            *"$2"*) if [ "$__ORCH_HAPROXY_DRAIN" != 1 ] || [ "$__sc" = 0 ]; then return 0; fi ;;
          esac
          sleep "$__ORCH_HAPROXY_INTERVAL"
          __i=$((__i + 1))
        done
        __svc_fail "server $1/$H not status '$2' after $__ORCH_HAPROXY_RETRIES retries. Aborting."
      }
      __since_1_5() {
        __hx 'show info' >"$__t/i"
        __v=$(grep 'Version:' "$__t/i" | head -n 1 | sed 's/^[^:]*://; s/^[[:space:]]*//; s/[[:space:]]*$//')
        case $__v in *.*) ;; *) return 1 ;; esac
        __maj=${__v%%.*}; __rest=${__v#*.}; __min=${__rest%%.*}
        case $__maj in ''|*[!0-9]*) return 1 ;; esac
        case $__min in ''|*[!0-9]*) return 1 ;; esac
        [ "$__maj" -gt 1 ] || { [ "$__maj" -eq 1 ] && [ "$__min" -ge 5 ]; }
      }
      """;
}
