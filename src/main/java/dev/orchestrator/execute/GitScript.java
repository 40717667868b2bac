package dev.orchestrator.execute;

/**
 * The POSIX {@code sh} text of a {@link GitModule}: the steps of ansible-core 2.14's {@code
 * lib/ansible/modules/git.py} ({@code main}, {@code clone}, {@code fetch}, {@code switch_version},
 * {@code get_remote_head}, {@code get_head_branch}, {@code has_local_mods}, {@code set_remote_url})
 * in their order, with their commands and messages. The text is fixed words of ours: every value
 * (repository, destination, version, remote, the ssh command) is an exported variable ({@code
 * $__ORCH_GIT_*}), and the flags are {@code 0}/{@code 1} variables set before it.
 *
 * <p>What it prints for {@link GitModule#outcome}: {@code @@before=SHA}, {@code @@after=SHA},
 * {@code @@changed}, {@code @@url_changed=true|false}, {@code @@info=MSG} on stdout; a failure
 * prints {@code @@rc=N}, {@code @@cmd=TEXT} and {@code @@out} (the failing command's stdout
 * follows) on stdout, the command's stderr and then {@code @@msg MESSAGE} on stderr, and exits 1.
 */
final class GitScript {
  private GitScript() {}

  /** The script, after {@link ServiceScript#PRELUDE} and the flags. */
  static final String TEXT =
      """
      R=$__ORCH_GIT_REPO; D=$__ORCH_GIT_DEST; V=$__ORCH_GIT_VERSION; O=$__ORCH_GIT_REMOTE
      export LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C GIT_TERMINAL_PROMPT=0
      GIT_SSH_COMMAND=$__ORCH_GIT_SSH; export GIT_SSH_COMMAND
      G=$(__svc_bin git) || __svc_fail "Failed to find required executable git in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"
      case $R in "~") R=$HOME ;; "~/"*) R=$HOME/${R#"~/"} ;; esac
      case $R in /*) R=file://$R ;; esac
      if [ -n "$D" ]; then
        case $D in "~") D=$HOME ;; "~/"*) D=$HOME/${D#"~/"} ;; esac
        case $D in /*) ;; *) D=$(pwd)/$D ;; esac
        while [ "$D" != / ] && [ "${D%/}" != "$D" ]; do D=${D%/}; done
      fi
      __t=$(mktemp -d) || __svc_fail 'mktemp failed'
      trap 'rm -rf "$__t"' EXIT
      __in() { if [ -n "$D" ] && [ -d "$D" ]; then (cd "$D" && "$G" "$@"); else "$G" "$@"; fi; }
      __q() { __in "$@" >"$__t/o" 2>"$__t/e"; __r=$?; return $__r; }
      __cfail() {
        printf '@@rc=%s\\n' "$__r"
        [ -z "${2:-}" ] || printf '@@cmd=%s\\n' "$2"
        printf '@@out\\n'; cat "$__t/o"; cat "$__t/e" >&2
        printf '@@msg %s\\n' "$1" >&2; exit 1
      }
      __must() { __q "$@" || __cfail "$(cat "$__t/e")"; }
      __rev() { (cd "$D" && "$G" rev-parse HEAD 2>/dev/null); }
      __has() { grep -F -e "$V" "$__t/o" >/dev/null 2>&1; }
      __isbranch() { __must ls-remote -h -- "$1" "refs/heads/$V"; __has; }
      __istag() { __must ls-remote -t -- "$1" "refs/tags/$V"; __has; }
      __islocal() {
        __q branch --no-color -a || __cfail "Could not determine branch data - received $(cat "$__t/o")"
        sed 's/^[[:space:]]*//; s/[[:space:]]*$//' "$__t/o" | grep -Fx -e "$V" -e "* $V" >/dev/null
      }
      __headbranch() {
        __f=$D/.git/HEAD
        __q branch --no-color -a
        if sed 's/^[[:space:]]*//' "$__t/o" | grep '^\\* ' | grep -e 'no branch' -e 'detached from' -e 'detached at' >/dev/null; then
          __f=$D/.git/refs/remotes/$O/HEAD
        fi
        __l=$(head -n 1 "$__f" 2>/dev/null) || __l=
        case $__l in *"refs/remotes/$O"*) __l=${__l%%"refs/remotes/$O"*}${__l#*"refs/remotes/$O"} ;; esac
        __l=${__l##* }
        case $__l in */*) __l=${__l#*/}; case $__l in */*) __l=${__l#*/} ;; esac ;; esac
        printf '%s\\n' "$__l"
      }
      __remotehead() {
        __tag=0
        if [ "$V" = HEAD ]; then __must ls-remote -h -- "$R" HEAD
        elif __isbranch "$R"; then :
        elif __istag "$R"; then __must ls-remote -t -- "$R" "refs/tags/$V*"; __tag=1
        else __h=$V; return 0
        fi
        [ -s "$__t/o" ] || { __r=0; __cfail "Could not determine remote revision for $V"; }
        __l=$(head -n 1 "$__t/o")
        if [ $__tag = 1 ]; then
          __m=$(awk -v v="$V" 'substr($0, length($0) - length(v) - 2) == v "^{}" { print; exit }
            substr($0, length($0) - length(v) + 1) == v { m = $0 } END { if (m != "") print m }' "$__t/o" | head -n 1)
          [ -z "$__m" ] || __l=$__m
        fi
        __h=${__l%%[[:space:]]*}
      }
      __switch() {
        if [ "$V" = HEAD ]; then
          __b=$(__headbranch)
          __q checkout --force "$__b" || __cfail "Failed to checkout branch $__b"
          __q reset --hard "$O/$__b" -- || __cfail "Failed to checkout branch $__b" "$G reset --hard $O/$__b --"
          return 0
        fi
        if __q ls-remote -h -- "$O" "refs/heads/$V" && __has; then
          if [ "$DEPTH" != 0 ] && ! __islocal; then
            __q fetch "--depth=$DEPTH" -- "$O" "+refs/heads/$V:refs/heads/$V" "+refs/heads/$V:refs/remotes/$O/$V" \\
              || __cfail "Failed to fetch branch from remote: $V"
          fi
          if ! __islocal; then
            __q checkout --track -b "$V" "$O/$V" || __cfail "Failed to checkout $V" "$G checkout --track -b $V $O/$V"
          else
            __q checkout --force "$V" || __cfail "Failed to checkout branch $V"
            __q reset --hard "$O/$V" || __cfail "Failed to checkout $V" "$G reset --hard $O/$V"
          fi
        elif [ "$__r" != 0 ]; then __cfail "$(cat "$__t/e")"
        else
          __q checkout --force "$V" || __cfail "Failed to checkout $V" "$G checkout --force $V"
        fi
      }
      if [ -z "$D" ] || [ ! -e "$D/.git/config" ]; then
        if [ "$CLONE" = 0 ]; then
          __remotehead
          echo @@changed; printf '@@after=%s\\n' "$__h"; exit 0
        fi
        __bt=0
        if __isbranch "$R" || __istag "$R"; then __bt=1; fi
        set -- clone --origin "$O"
        if [ "$DEPTH" != 0 ]; then
          if [ "$V" = HEAD ]; then set -- "$@" --depth "$DEPTH"
          elif [ $__bt = 1 ]; then set -- "$@" --depth "$DEPTH" --branch "$V"
          else echo "::warning Ignoring depth argument. Shallow clones are only available for HEAD, branches, tags or in combination with refspec."
          fi
        fi
        __p=$(dirname -- "$D"); mkdir -p -- "$__p" 2>/dev/null
        (cd "$__p" && "$G" "$@" -- "$R" "$D") >"$__t/o" 2>"$__t/e"; __r=$?
        [ $__r = 0 ] || __cfail "$(cat "$__t/e")"
      elif [ "$UPDATE" = 0 ]; then
        __b=$(__rev); printf '@@before=%s\\n@@after=%s\\n' "$__b" "$__b"; exit 0
      else
        __mods=0
        (cd "$D" && "$G" status --porcelain 2>/dev/null) | grep -v '^??' | grep . >/dev/null && __mods=1
        printf '@@before=%s\\n' "$(__rev)"
        if [ $__mods = 1 ]; then
          [ "$FORCE" = 1 ] || __svc_fail "Local modifications exist in the destination: $D (force=no)."
          __must reset --hard HEAD
          echo @@changed; printf '@@info=Local modifications exist in the destination: %s\\n' "$D"
        fi
        __u=false
        if __cur=$(cd "$D" && "$G" ls-remote --get-url "$O" 2>/dev/null); then
          if [ "$__cur" != "$R" ] && [ "$(cd "$D" && realpath -m -- "$__cur" 2>/dev/null)" != "$(cd "$D" && realpath -m -- "$R" 2>/dev/null)" ]; then
            __q remote set-url -- "$O" "$R" || __cfail "Failed to set a new url $R for $O: $(cat "$__t/o") $(cat "$__t/e")"
            __u=true
          fi
        fi
        printf '@@url_changed=%s\\n' "$__u"
        __spec=
        if [ "$DEPTH" != 0 ]; then
          __hb=$(__headbranch)
          if [ "$V" = HEAD ]; then __spec=1; set -- "$__hb"
          elif __isbranch "$R"; then
            __spec=1; set -- "+refs/heads/$V:refs/remotes/$O/$V"
            [ "$__hb" = "$V" ] || set -- "+refs/heads/$V:refs/heads/$V" "$@"
          elif __istag "$R"; then __spec=1; set -- "+refs/tags/$V:refs/tags/$V"
          fi
        fi
        if [ -n "$__spec" ]; then set -- fetch --depth "$DEPTH" -- "$O" "$@"; else set -- fetch --tags -- "$O"; fi
        if [ "$FORCE" = 1 ]; then __x=$1; shift; set -- "$__x" --force "$@"; fi
        __q "$@" || __cfail "Failed to download remote objects and refs: $(cat "$__t/o") $(cat "$__t/e")"
      fi
      __switch
      if [ "$RECURSIVE" = 1 ] && [ -f "$D/.gitmodules" ]; then
        __must submodule sync
        if [ "$FORCE" = 1 ]; then set -- --force; else set --; fi
        __q submodule update --init --recursive "$@" || __cfail "Failed to init/update submodules: $(cat "$__t/o")$(cat "$__t/e")"
      fi
      printf '@@after=%s\\n' "$(__rev)"
      exit 0
      """;
}
