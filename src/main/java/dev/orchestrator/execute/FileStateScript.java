package dev.orchestrator.execute;

/**
 * The POSIX {@code sh} text of {@link FileStateModule}: ansible-core 2.14's {@code
 * lib/ansible/modules/file.py} ({@code ensure_absent}, {@code ensure_file_attributes}, {@code
 * ensure_directory}, {@code ensure_symlink}, {@code ensure_hardlink}, {@code execute_touch}) with
 * its messages, on the exported values {@code __F_PATH}, {@code __F_SRC}, {@code __F_MODE}, {@code
 * __F_OWNER}, {@code __F_GROUP} and the flags {@code __F_FOLLOW}, {@code __F_FORCE}, {@code
 * __F_RECURSE}, {@code __F_HASSRC} (never text of the script). Markers on stdout: {@code @@changed}
 * for every change made, {@code @@path} (base64) when the path was resolved, {@code @@info UID GID
 * OWNER GROUP MODE SIZE STATE} at the end; a failure is {@code @@msg MESSAGE} on stderr.
 */
final class FileStateScript {
  private FileStateScript() {}

  /** The functions that set attributes, also run by {@code find} for {@code recurse}. */
  static final String ATTRIBUTES =
      """
      __fail() { printf '@@msg %s\\n' "$1" >&2; exit 1; }
      __attrs() {
        __h=; [ "$2" = nofollow ] && __h=-h
        if [ -n "$__F_MODE" ] && { [ "$2" != nofollow ] || [ ! -L "$1" ]; }; then
          __b=$(stat -c %a -- "$1") || exit 1
          chmod -- "$__F_MODE" "$1" || __fail "chmod failed"
          [ "$__b" = "$(stat -c %a -- "$1")" ] || echo @@changed
        fi
        if [ -n "$__F_OWNER" ]; then
          __a=$(stat $([ -z "$__h" ] && echo -L) -c '%U %u' -- "$1") || exit 1
          case " $__a " in *" $__F_OWNER "*) ;; *)
            chown $__h -- "$__F_OWNER" "$1" || __fail "chown failed: failed to look up user $__F_OWNER"
            echo @@changed ;;
          esac
        fi
        if [ -n "$__F_GROUP" ]; then
          __a=$(stat $([ -z "$__h" ] && echo -L) -c '%G %g' -- "$1") || exit 1
          case " $__a " in *" $__F_GROUP "*) ;; *)
            chgrp $__h -- "$__F_GROUP" "$1" || __fail "chgrp failed: failed to look up group $__F_GROUP"
            echo @@changed ;;
          esac
        fi
      }
      """;

  /** The functions every state uses, after {@link #ATTRIBUTES}. */
  static final String FUNCTIONS =
      """
      __state() {
        if [ -L "$1" ]; then echo link
        elif [ -d "$1" ]; then echo directory
        elif [ -e "$1" ]; then
          if [ "$(stat -c %h -- "$1")" -gt 1 ]; then echo hard; else echo file; fi
        else echo absent; fi
      }
      __resolve() {
        P=$(readlink -f -- "$P") || __fail "cannot resolve the link"
        printf '@@path %s\\n' "$(printf '%s' "$P" | base64 | tr -d '\\n')"
      }
      __info() {
        if [ -e "$P" ]; then
          printf '@@info %s %s\\n' "$(stat -c '%u %g %U %G %a %s' -- "$P")" "$(__state "$P")"
        fi
      }
      P=$__F_PATH
      S=$__F_SRC
      __how=follow; [ "$__F_FOLLOW" = 1 ] || __how=nofollow
      """;

  /** {@code state: absent}. */
  static final String ABSENT =
      """
      __st=$(__state "$P")
      if [ "$__st" != absent ]; then
        if [ "$__st" = directory ]; then
          rm -rf -- "$P" || __fail "rmtree failed: $(rm -rf -- "$P" 2>&1)"
        else
          rm -f -- "$P" || __fail "unlinking failed: $P"
        fi
        if [ -e "$P" ] || [ -L "$P" ]; then __fail "$P still exists after removing it"; fi
        echo @@changed
      fi
      """;

  /** {@code state: file}. */
  static final String FILE =
      """
      __st=$(__state "$P")
      if [ "$__st" != file ] && [ "$__F_FOLLOW" = 1 ] && [ "$__st" = link ]; then
        __resolve; __st=$(__state "$P")
      fi
      case $__st in file|hard) ;; *) printf '@@prev %s\\n' "$__st"; __fail "file ($P) is $__st, cannot continue" ;; esac
      __attrs "$P" follow
      """;

  /** {@code state: directory}. */
  static final String DIRECTORY =
      """
      __st=$(__state "$P")
      if [ "$__F_FOLLOW" = 1 ] && [ "$__st" = link ]; then __resolve; __st=$(__state "$P"); fi
      if [ "$__st" = absent ]; then
        case $P in /*) __cur= ;; *) __cur=. ;; esac
        __o=$IFS; IFS=/; set -f
        for __d in $P; do
          IFS=$__o
          [ -n "$__d" ] || continue
          __cur="$__cur/$__d"
          if [ ! -e "$__cur" ]; then
            mkdir -- "$__cur" 2>/dev/null || [ -d "$__cur" ] || __fail "There was an issue creating $__cur as requested"
            echo @@changed
            __attrs "$__cur" follow
          fi
        done
        IFS=$__o; set +f
      elif [ "$__st" != directory ]; then
        __fail "$P already exists as a $__st"
      else
        __attrs "$P" follow
        if [ "$__F_RECURSE" = 1 ]; then
          find "$P" -mindepth 1 -exec sh -c "$__F_FUNCS"'
            for f do
              if [ -L "$f" ]; then
                if [ "$__F_FOLLOW" = 1 ]; then [ -e "$f" ] && __attrs "$(readlink -f -- "$f")" follow
                else __attrs "$f" nofollow; fi
              else __attrs "$f" follow; fi
            done' sh {} + || exit 1
        fi
      fi
      """;

  /** {@code state: touch}. */
  static final String TOUCH =
      """
      __st=$(__state "$P")
      if [ "$__st" = absent ]; then
        : > "$P" || __fail "Error, could not touch target: $P"
      fi
      __attrs "$P" "$__how"
      if [ "$__how" = follow ]; then touch -c -- "$P"; else touch -c -h -- "$P"; fi
      echo @@changed
      """;

  /** {@code state: link}. */
  static final String LINK =
      """
      __st=$(__state "$P")
      if [ "$__F_HASSRC" != 1 ] && [ "$__F_FOLLOW" = 1 ] && [ "$__st" = link ]; then
        S=$(readlink -- "$P"); __F_HASSRC=1
      fi
      if [ ! -L "$P" ] && [ -d "$P" ]; then __rel=$P; else __rel=$(dirname -- "$P"); fi
      case $S in /*) __abs=$S ;; *) __abs="$__rel/$S" ;; esac
      if [ "$__F_FORCE" != 1 ] && [ "$__F_HASSRC" = 1 ] && [ ! -e "$__abs" ]; then
        __fail "src file does not exist, use \\"force=yes\\" if you really want to create the link: $__abs"
      fi
      if [ "$__st" = directory ]; then
        [ "$__F_FORCE" = 1 ] || __fail "refusing to convert from directory to symlink for $P"
        [ -z "$(ls -A -- "$P")" ] || __fail "the directory $P is not empty, refusing to convert it"
      elif { [ "$__st" = file ] || [ "$__st" = hard ]; } && [ "$__F_FORCE" != 1 ]; then
        __fail "refusing to convert from $__st to symlink for $P"
      fi
      __ch=0
      if [ "$__st" = link ]; then
        if [ "$__F_HASSRC" = 1 ] && [ "$(readlink -- "$P")" != "$S" ]; then __ch=1; fi
      else
        [ "$__F_HASSRC" = 1 ] || __fail "src is required for creating new symlinks"
        __ch=1
      fi
      if [ $__ch = 1 ]; then
        [ "$__st" != directory ] || rmdir -- "$P" || __fail "Error while replacing: $P"
        ln -sfn -- "$S" "$P" || __fail "Error while linking: $P"
        echo @@changed
      fi
      if [ "$__how" = follow ] && [ -L "$P" ] && [ ! -e "$P" ]; then
        echo "[WARNING]: Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this."
      else
        __attrs "$P" "$__how"
      fi
      """;

  /** {@code state: hard}. */
  static final String HARD =
      """
      if [ "$__F_HASSRC" = 1 ] && [ -d "$P" ] && [ ! -L "$P" ]; then
        P="$P/$(basename -- "$S")"; printf '@@path %s\\n' "$(printf '%s' "$P" | base64 | tr -d '\\n')"
      fi
      __st=$(__state "$P")
      [ "$__st" = hard ] || [ "$__F_HASSRC" = 1 ] || __fail "src is required for creating new hardlinks"
      if [ "$__F_HASSRC" = 1 ] && [ ! -e "$S" ]; then __fail "src does not exist"; fi
      __ch=0
      case $__st in
        absent) __ch=1 ;;
        link) [ "$(readlink -- "$P")" = "$S" ] || __ch=1 ;;
        hard)
          if [ "$__F_HASSRC" = 1 ] && [ "$(stat -c %i -- "$P")" != "$(stat -L -c %i -- "$S")" ]; then
            __ch=1
            [ "$__F_FORCE" = 1 ] || __fail "Cannot link, different hard link exists at destination"
          fi ;;
        file) __ch=1; [ "$__F_FORCE" = 1 ] || __fail "Cannot link, file exists at destination" ;;
        directory) __fail "Cannot link: $P is a directory" ;;
      esac
      if [ $__ch = 1 ]; then
        ln -f -- "$S" "$P" || __fail "Error while linking: $P"
        echo @@changed
      fi
      __attrs "$P" follow
      """;
}
