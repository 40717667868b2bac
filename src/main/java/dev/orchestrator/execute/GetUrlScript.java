package dev.orchestrator.execute;

/**
 * The POSIX {@code sh} text of a {@link GetUrl}: the steps of ansible-core 2.14's {@code
 * lib/ansible/modules/get_url.py} ({@code main}, {@code url_get}) in their order, with {@code curl}
 * for Python's urllib. Every value is an exported variable ({@code $__ORCH_GU_*}); the URL, the
 * headers and the credentials reach curl in a config file only the connecting user can read, never
 * its command line. Prints {@code @@KEY=VALUE} lines for {@link GetUrl#outcome}.
 */
final class GetUrlScript {
  private GetUrlScript() {}

  /** The script, after {@link ServiceScript#PRELUDE} and the flags. */
  static final String TEXT =
      """
      D=$__ORCH_GU_DEST; SUM=$__ORCH_GU_SUM
      command -v curl >/dev/null 2>&1 || __svc_fail 'get_url needs curl on the host'
      case $D in "~") D=$HOME ;; "~/"*) D=$HOME/${D#"~/"} ;; esac
      __t=$(umask 077 && mktemp -d) || __svc_fail 'mktemp failed'
      trap 'rm -rf "$__t"' EXIT
      printf '%s' "$__ORCH_GU_CFG" > "$__t/cfg" || __svc_fail 'cannot write the request'
      __sum() { "${ALGO}sum" < "$1" | cut -d' ' -f1; }
      __isdir=0; [ -d "$D" ] && __isdir=1
      printf '@@dest=%s\\n' "$D"
      if [ $__isdir = 0 ] && [ -e "$D" ]; then
        __mismatch=0
        if [ "$FORCE" = 0 ] && [ -n "$ALGO" ] && [ "$(__sum "$D")" != "$SUM" ]; then __mismatch=1; fi
        if [ "$FORCE" = 0 ] && [ -n "$ALGO" ] && [ $__mismatch = 0 ]; then
          echo @@exists; __F=$D; __attrs; exit 0
        fi
        [ $__mismatch = 0 ] || FORCE=1
        if [ "$FORCE" = 0 ]; then
          printf 'header = "If-Modified-Since: %s"\\n' "$(date -u -r "$D" '+%a, %d %b %Y %H:%M:%S GMT')" >> "$__t/cfg"
        fi
      fi
      [ "$FORCE" = 0 ] || printf 'header = "cache-control: no-cache"\\n' >> "$__t/cfg"
      __w=$(curl -sS -L -K "$__t/cfg" -o "$__t/body" -D "$__t/hdr" -w '%{http_code}\\t%{url_effective}' 2>"$__t/err"); __r=$?
      [ $__r = 0 ] || __svc_fail "Request failed: $(cat "$__t/err")"
      __code=${__w%%"$(printf '\\t')"*}; __eff=${__w#*"$(printf '\\t')"}
      __status=$(grep '^HTTP/' "$__t/hdr" | tail -n 1 | tr -d '\\r')
      __reason=$(printf '%s\\n' "$__status" | sed 's/^HTTP[^ ]* [0-9]* *//')
      __h() { tr -d '\\r' < "$__t/hdr" | sed -n "s/^$1: *//Ip" | tail -n 1; }
      printf '@@status_code=%s\\n' "$__code"
      if [ "$__code" = 304 ]; then
        printf '@@msg=HTTP Error 304: %s\\n' "$__reason"; echo @@notmodified
        if [ -e "$D" ]; then __F=$D; __stat; fi
        exit 0
      fi
      if [ "$__code" != 200 ]; then
        printf '@@response=HTTP Error %s: %s\\n' "$__code" "$__reason"
        __svc_fail 'Request failed'
      fi
      if [ $__isdir = 1 ]; then
        __n=
        __cd=$(__h content-disposition)
        case $__cd in "attachment; filename="*|"attachment;filename="*) __n=${__cd#*filename=}; __n=${__n#\\"}; __n=${__n%%\\"*}; __n=${__n##*/} ;; esac
        if [ -z "$__n" ]; then
          __n=${__eff#*://}; case $__n in */*) __n=/${__n#*/} ;; *) __n= ;; esac
          __n=${__n%%\\#*}; __n=${__n%%\\?*}; __n=${__n##*/}
          [ -n "$__n" ] || __n=index.html
        fi
        case $__n in .|..) __svc_fail "refusing the file name '$__n' given by $__eff" ;; esac
        D=${D%/}/$__n; printf '@@dest=%s\\n' "$D"
      fi
      printf '@@checksum_src=%s\\n' "$(sha1sum < "$__t/body" | cut -c1-40)"
      __dir=$(dirname -- "$D")
      if [ -e "$D" ]; then
        [ -w "$D" ] || __svc_fail "Destination $D is not writable"
        [ -r "$D" ] || __svc_fail "Destination $D is not readable"
        __old=$(sha1sum < "$D" | cut -c1-40); printf '@@checksum_dest=%s\\n' "$__old"
      else
        [ -d "$__dir" ] || __svc_fail "Destination $__dir does not exist"
        [ -w "$__dir" ] || __svc_fail "Destination $__dir is not writable"
        __old=
      fi
      if [ "$(sha1sum < "$__t/body" | cut -c1-40)" != "$__old" ]; then
        __tmp=$(mktemp "$__dir/.orch-get_url.XXXXXX") || __svc_fail "Destination $__dir is not writable"
        cat "$__t/body" > "$__tmp" || { rm -f "$__tmp"; __svc_fail "failed to copy to $D"; }
        if [ -e "$D" ]; then
          chmod --reference="$D" -- "$__tmp"; chown --reference="$D" -- "$__tmp" 2>/dev/null
        else
          chmod "$(printf '%o' $((0666 & ~0$(umask))))" -- "$__tmp"
        fi
        mv -f -- "$__tmp" "$D" || { rm -f "$__tmp"; __svc_fail "failed to copy to $D"; }
        echo @@changed
      fi
      if [ -n "$ALGO" ]; then
        __now=$(__sum "$D")
        if [ "$__now" != "$SUM" ]; then rm -f -- "$D"; __svc_fail "The checksum for $D did not match $SUM; it was $__now."; fi
      fi
      __F=$D; __attrs
      printf '@@md5sum=%s\\n' "$(md5sum < "$D" | cut -c1-32)"
      printf '@@msg=OK (%s bytes)\\n' "$(__len=$(__h content-length); printf '%s' "${__len:-unknown}")"
      exit 0
      """;

  /**
   * {@code __attrs}: sets {@code $__F}'s mode, owner and group where they differ ({@code @@changed}
   * when one did, as {@code set_fs_attributes_if_different}), then prints the file's attributes as
   * Ansible's {@code add_path_info} does ({@code __stat}, also after a 304).
   */
  static final String ATTRS =
      """
      __attrs() {
        __b=$(stat -L -c '%a %U %u %G %g' -- "$__F")
        if [ -n "$MODE" ]; then chmod -- "$MODE" "$__F" || __svc_fail "chmod failed"; fi
        if [ -n "$__ORCH_GU_OWNER" ]; then
          set -- $__b
          if [ "$__ORCH_GU_OWNER" != "$2" ] && [ "$__ORCH_GU_OWNER" != "$3" ]; then
            chown -- "$__ORCH_GU_OWNER" "$__F" 2>"$__t/err" || __svc_fail "chown failed: $(cat "$__t/err")"
          fi
        fi
        if [ -n "$__ORCH_GU_GROUP" ]; then
          set -- $__b
          if [ "$__ORCH_GU_GROUP" != "$4" ] && [ "$__ORCH_GU_GROUP" != "$5" ]; then
            chgrp -- "$__ORCH_GU_GROUP" "$__F" 2>"$__t/err" || __svc_fail "chgrp failed: $(cat "$__t/err")"
          fi
        fi
        __a=$(stat -L -c '%a %U %u %G %g' -- "$__F")
        [ "$__a" = "$__b" ] || echo @@changed
        __stat
      }
      __stat() { printf '@@stat=%s %s\\n' "$(stat -L -c '%a %U %u %G %g' -- "$__F")" "$(stat -L -c %s -- "$__F")"; }
      """;
}
