package dev.orchestrator.execute;

/**
 * The POSIX {@code sh} text of an {@link Unarchive}: the steps of ansible-core 2.14's action plugin
 * {@code plugins/action/unarchive.py} and module {@code lib/ansible/modules/unarchive.py} in their
 * order (creates, dest an existing folder, the source readable and not empty, the first handler
 * that lists the archive: {@code unzip -Z1}, then {@code tar} with {@code -z}, none, {@code -j},
 * {@code -J}), then, before anything is written to {@code dest}: every listed name is checked (no
 * absolute name, no {@code ..} part); the archive is unpacked into a private staging folder, where
 * every symbolic link is checked (relative, its {@code ..} parts only leading and no deeper than
 * its own folder); and every folder it holds that is a symbolic link in {@code dest} must resolve
 * inside {@code dest}. Only then is the staged tree compared with {@code dest} (what tar's {@code
 * --diff} reports and Ansible counts: a missing entry, a file's mode, owner, group or mtime) and,
 * when it differs, moved into {@code dest} (a file or link replaces what was there; a folder is
 * made or kept). Every value is an exported variable ({@code $__ORCH_UA_*}). Prints
 * {@code @@KEY=VALUE} lines for {@link Unarchive#outcome}.
 */
final class UnarchiveScript {
  private UnarchiveScript() {}

  /** Walks the staged tree: {@code sh -c} code run by {@code find -exec} with the names. */
  static final String WALK =
      """
      __mode=$1; shift
      __fail() { printf '@@msg %s\\n' "$1" >&2; exit 1; }
      for __p; do
        __s=$X/$__p; __d=$D/$__p
        case $__mode in
        links)
          __t=$(readlink "$__s"; echo x); __t=${__t%?x}
          case $__t in /*) __fail "unarchive refuses the entry '${__p#./}': its link target '$__t' is absolute" ;; esac
          __up=0; __r=$__t
          while :; do case $__r in ../*) __up=$((__up + 1)); __r=${__r#../} ;; ..) __up=$((__up + 1)); __r= ;; *) break ;; esac; done
          case /$__r/ in */../*) __fail "unarchive refuses the entry '${__p#./}': its link target '$__t' goes up after going down" ;; esac
          __depth=$(printf '%s' "${__p#./}" | tr -cd / | wc -c)
          [ "$__up" -le "$__depth" ] || __fail "unarchive refuses the entry '${__p#./}': its link target '$__t' is outside dest" ;;
        dirs)
          if [ -L "$__d" ]; then
            __r=$(readlink -f "$__d")
            case $__r in "$RD"|"$RD"/*) ;; *) __fail "unarchive refuses to write through '${__p#./}': a link in dest to '$__r', outside dest" ;; esac
          fi ;;
        diff)
          if [ ! -e "$__d" ] && [ ! -L "$__d" ]; then echo @@changed; exit 0; fi
          if [ -L "$__s" ]; then
            [ -L "$__d" ] || { echo @@changed; exit 0; }
          elif [ -d "$__s" ]; then
            [ -d "$__d" ] || { echo @@changed; exit 0; }
            [ -n "$MODE" ] || [ "$(stat -c %a "$__s")" = "$(stat -c %a "$__d")" ] || { echo @@changed; exit 0; }
          else
            { [ -f "$__d" ] && [ ! -L "$__d" ]; } || { echo @@changed; exit 0; }
            if [ "$KEEP" = 1 ] && [ "$__d" -nt "$__s" ]; then continue; fi
            __a=$(stat -c '%a %u %g %Y' "$__s"); __b=$(stat -c '%a %u %g %Y' "$__d")
            [ -z "$MODE" ] || { __a=${__a#* }; __b=${__b#* }; __a="- $__a"; __b="- $__b"; }
            if [ "$ROOT" != 1 ] || [ -n "$OWNER$GROUP" ]; then
              __a=$(echo "$__a" | cut -d' ' -f1,4); __b=$(echo "$__b" | cut -d' ' -f1,4)
            fi
            [ "$__a" = "$__b" ] || { echo @@changed; exit 0; }
          fi ;;
        put)
          if [ -d "$__s" ] && [ ! -L "$__s" ]; then
            if [ ! -d "$__d" ]; then rm -f "$__d" 2>/dev/null; mkdir "$__d" || __fail "failed to unpack into $__d"; fi
            chmod "$(stat -c %a "$__s")" "$__d"
            [ "$ROOT" != 1 ] || chown "$(stat -c %u:%g "$__s")" "$__d"
          else
            if [ "$KEEP" = 1 ] && [ -f "$__d" ] && [ "$__d" -nt "$__s" ]; then continue; fi
            if [ -d "$__d" ] && [ ! -L "$__d" ]; then __fail "failed to unpack: '${__p#./}' is a folder in dest"; fi
            rm -f "$__d"; mv "$__s" "$__d" || __fail "failed to unpack into $__d"
          fi ;;
        times)
          [ ! -d "$__s" ] || [ -L "$__s" ] || touch -r "$__s" "$__d" ;;
        attrs)
          [ "$__p" != . ] || continue
          [ ! -L "$__d" ] || continue
          __b=$(stat -c '%a %U %G' "$__d")
          [ -z "$MODE" ] || chmod "$MODE" "$__d" || __fail "chmod failed on $__d"
          [ -z "$OWNER" ] || chown "$OWNER" "$__d" || __fail "chown failed, either specified user not found or you don't have permission to change ownership: $__d"
          [ -z "$GROUP" ] || chgrp "$GROUP" "$__d" || __fail "chgrp failed: $__d"
          [ "$(stat -c '%a %U %G' "$__d")" = "$__b" ] || echo @@changed ;;
        esac
      done
      """;

  /** The checks before the archive is read: creates, dest, the staging folder. */
  static final String START =
      """
      D=$__ORCH_UA_DEST; CR=$__ORCH_UA_CREATES; MODE=$__ORCH_UA_MODE; OWNER=$__ORCH_UA_OWNER; GROUP=$__ORCH_UA_GROUP
      __home() { case $1 in "~") printf '%s' "$HOME" ;; "~/"*) printf '%s/%s' "$HOME" "${1#"~/"}" ;; *) printf '%s' "$1" ;; esac; }
      D=$(__home "$D"; echo x); D=${D%x}; CR=$(__home "$CR"; echo x); CR=${CR%x}
      if [ -n "$CR" ] && [ -e "$CR" ]; then printf '@@skipped=skipped, since %s exists\\n' "$CR"; exit 0; fi
      [ -d "$D" ] || __svc_fail "dest '$D' must be an existing dir"
      __t=$(umask 077 && mktemp -d) || __svc_fail 'mktemp failed'
      trap 'rm -rf "$__t"' EXIT
      """;

  /** The rest, after the controller's archive was written to {@code $__t/source}. */
  static final String TEXT =
      """
      if [ "$REMOTE" = 1 ]; then
        S=$(__home "$__ORCH_UA_SRC"; echo x); S=${S%x}
        case $S in *://*) __svc_fail "a URL as src is not supported: download it with get_url first" ;; esac
        [ -e "$S" ] || __svc_fail "Source '$S' does not exist"
      else
        S=$__t/source
      fi
      [ -r "$S" ] || __svc_fail "Source '$S' not readable"
      [ -s "$S" ] || __svc_fail "Invalid archive '$S', the file is 0 bytes"
      printf '@@dest=%s\\n' "$D"
      H=; Z=
      if command -v unzip >/dev/null 2>&1 && unzip -Z1 "$S" > "$__t/list" 2>/dev/null; then H=ZipArchive
      elif command -v tar >/dev/null 2>&1; then
        for Z in z - j J; do
          if tar -t${Z#-}f "$S" > "$__t/list" 2>/dev/null && [ -s "$__t/list" ]; then break; fi
          Z=x
        done
        case $Z in z) H=TgzArchive; Z=-z ;; -) H=TarArchive; Z= ;; j) H=TarBzipArchive; Z=-j ;; J) H=TarXzArchive; Z=-J ;; esac
      fi
      [ -n "$H" ] || __svc_fail "Failed to find handler for \\"$S\\". Make sure the required command to extract the file is installed."
      printf '@@handler=%s\\n' "$H"
      while IFS= read -r __n; do
        case $__n in /*) __svc_fail "unarchive refuses the entry '$__n': an absolute name" ;; esac
        case /$__n/ in */../*) __svc_fail "unarchive refuses the entry '$__n': a '..' part would leave dest" ;; esac
        [ "$LIST" != 1 ] || printf '@@file=%s\\n' "$__n"
      done < "$__t/list"
      X=$__t/x
      set --
      if [ -n "$__ORCH_UA_EXCLUDE" ]; then
        while IFS= read -r __e; do set -- "$@" "$__e"; done <<__ORCH_UA_EOF
      $__ORCH_UA_EXCLUDE
      __ORCH_UA_EOF
      fi
      if [ "$H" != ZipArchive ]; then for __e; do set -- "$@" "--exclude=$__e"; shift; done; fi
      __extract() {
        rm -rf "$X" && mkdir "$X" || return 1
        if [ "$H" = ZipArchive ]; then
          if [ $# -gt 0 ]; then unzip -q -o "$S" -x "$@" -d "$X" 2>&1; else unzip -q -o "$S" -d "$X" 2>&1; fi
        else
          (cd "$X" && tar -x $Z -f "$S" "$@" 2>&1)
        fi
      }
      __o=$(__extract "$@") || __svc_fail "failed to unpack $S to $D: $__o"
      RD=$(cd "$D" && pwd -P)
      ROOT=0; [ "$(id -u)" != 0 ] || ROOT=1
      export X D RD MODE OWNER GROUP KEEP ROOT
      __walk() { (cd "$X" && find . "$@" -exec sh -c "$__ORCH_UA_WALK" sh "$__step" {} +); }
      __step=links; __walk -type l -path './*' || exit 1
      __step=dirs; __walk -type d -path './*' || exit 1
      __step=diff; __c=$(__walk -path './*') || exit 1
      if [ -n "$__c" ]; then
        echo @@changed
        __step=put; __walk -path './*' || exit 1
        __step=times; __walk -depth -type d -path './*' || exit 1
      fi
      if [ -n "$MODE$OWNER$GROUP" ]; then
        __o=$(__extract "$@") || __svc_fail "failed to unpack $S to $D: $__o"
        __step=attrs; __walk -path './*' || exit 1
      fi
      printf '@@stat=%s\\n' "$(stat -c '%a %U %u %G %g %s' "$D")"
      """;
}
