package dev.orchestrator.execute;

/**
 * The POSIX {@code sh} text of an {@link AptModule}: the steps of ansible-core 2.14's {@code
 * apt.py} ({@code main}, {@code package_status}, {@code install}, {@code remove}, {@code cleanup})
 * with {@code dpkg-query} (installed or not, the installed version, configuration files left),
 * {@code apt-cache policy} (the candidate) and {@code apt-cache madison} (the versions a {@code
 * name=VERSION} pattern may match) in place of python-apt; {@code dpkg --compare-versions} for
 * {@code name>=VERSION}. Only fixed words of ours are part of the text: the names are the exported
 * values of {@link PackageList}, the flags digits.
 */
final class AptScript {
  private AptScript() {}

  private static final String SETUP =
      """
      export DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C
      AG=$(__svc_bin apt-get) || __svc_fail "Failed to find required executable apt-get in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"
      __mtime() {
        if [ -e /var/lib/apt/periodic/update-success-stamp ]; then stat -c %Y /var/lib/apt/periodic/update-success-stamp
        elif [ -e /var/lib/apt/lists ]; then stat -c %Y /var/lib/apt/lists
        else echo 0; fi
      }
      __run() { echo @@ran=1; "$AG" "$@" >"$__t/o" 2>"$__t/e"; }
      __split() {
        __n=${1%%=*}; __v=; __c=
        if [ "$__n" != "$1" ]; then
          __v=${1#*=}; __c='='
          case $__n in *'>') __n=${__n%'>'}; __c='>=' ;; esac
        fi
      }
      __tab=$(printf '\t')
      __status() {
        __l=$(dpkg-query --showformat='${db:Status-Abbrev}\\t${Version}\\n' -W "$__n" 2>/dev/null | head -n 1)
        __st=${__l%%"$__tab"*}; __iv=${__l#*"$__tab"}; __inst=0; __files=0; __vi=0
        case $__st in ?i*) __inst=1 ;; esac
        case $__st in ?[icfhHUtTW]*) __files=1 ;; esac
        [ $__inst = 1 ] || return 0
        case $__c in
          '=') case $__iv in $__v) __vi=1 ;; esac ;;
          '>=') dpkg --compare-versions "$__iv" ge "$__v" && __vi=1 ;;
          *) __vi=1 ;;
        esac
      }
      __ct=$(__mtime); __cu=0
      """;

  private static final String CACHE =
      """
      if [ $((__ct + __CVT)) -lt "$(date +%s)" ]; then
        if ! "$AG" update >"$__t/uo" 2>"$__t/ue"; then
          __svc_fail "Failed to update apt cache: $(cat "$__t/ue")"
        fi
        __nt=$(__mtime); [ "$__nt" = "$__ct" ] || __cu=1; __ct=$__nt
      fi
      if [ "$__PKG_N" = 0 ]; then
        echo "@@cache_updated=$__cu"; echo "@@cache_update_time=$__ct"; echo @@op=cache
        [ $__cu = 0 ] || echo @@changed
        __end
      fi
      """;

  private static final String AUTOREMOVE =
      """
      if [ "$__PKG_N" = 0 ] && [ $__AUTO = 1 ]; then
        echo @@op=autoremove
        set -- -y -o "Dpkg::Options::=--force-confdef" -o "Dpkg::Options::=--force-confold"
        [ $__PURGE = 0 ] || set -- "$@" --purge
        __run "$@" autoremove; __r=$?
        if [ $__r -ne 0 ]; then echo "@@rc=$__r"; __end "'apt-get autoremove' failed: $(cat "$__t/e")"; fi
        grep -q 'The following packages will be REMOVED' "$__t/o" && echo @@changed
        __end
      fi
      """;

  private static final String REMOVE =
      """
      echo @@op=remove
      set --; __txt=; __i=1
      while [ $__i -le "$__PKG_N" ]; do
        __s=$(__pkg $__i); __i=$((__i + 1)); __split "$__s"; __status
        if [ $__vi = 1 ] || { [ $__files = 1 ] && [ $__PURGE = 1 ]; }; then
          set -- "$@" "$__s"; __txt="$__txt${__txt:+ }'$__s'"
        fi
      done
      [ $# -gt 0 ] || __end
      set -- -q -y -o "Dpkg::Options::=--force-confdef" -o "Dpkg::Options::=--force-confold" remove "$@"
      [ $__PURGE = 0 ] || set -- --purge "$@"
      [ $__AUTO = 0 ] || set -- --auto-remove "$@"
      __run "$@"; __r=$?
      if [ $__r -ne 0 ]; then echo "@@rc=$__r"; __end "'apt-get remove $__txt' failed: $(cat "$__t/e")"; fi
      echo @@changed
      __end
      """;

  private static final String INSTALL =
      """
      echo @@op=install
      __cm() { echo "@@cache_updated=$__cu"; echo "@@cache_update_time=$__ct"; }
      set --; __txt=; __i=1
      while [ $__i -le "$__PKG_N" ]; do
        __s=$(__pkg $__i); __i=$((__i + 1)); __split "$__s"; __status
        __pol=$(apt-cache policy "$__n" 2>/dev/null)
        if [ -z "$__pol" ] && [ $__inst = 0 ]; then __end "No package matching '$__n' is available"; fi
        __cand=$(printf '%s\\n' "$__pol" | sed -n 's/^  Candidate: //p' | head -n 1)
        [ "$__cand" != '(none)' ] || __cand=
        __best=$__cand
        if [ "$__c" = '=' ]; then
          __best=
          for __x in $(apt-cache madison "$__n" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }'); do
            case $__x in $__v) __best=$__x; break ;; esac
          done
        fi
        __able=
        if [ $__inst = 1 ]; then
          if [ -n "$__best" ] && [ "$__iv" != "$__best" ]; then
            case $__c in
              '=') case $__best in $__v) __able=$__best ;; esac ;;
              '>=') dpkg --compare-versions "$__best" ge "$__v" && __able=$__best ;;
              *) __able=$__best ;;
            esac
          fi
        else
          __able=$__best
        fi
        if [ $__vi = 0 ] && [ -z "$__able" ]; then __cm; __end "no available installation candidate for $__s"; fi
        if [ -n "$__able" ] && { [ $__inst = 0 ] || [ $__LATEST = 1 ] || [ $__vi = 0 ]; }; then
          set -- "$@" "$__n=$__able"; __txt="$__txt${__txt:+ }'$__n=$__able'"
        elif [ $__vi = 1 ] && [ -n "$__able" ] && [ "$__c" = '=' ]; then
          set -- "$@" "$__s"; __txt="$__txt${__txt:+ }'$__s'"
        fi
      done
      __cm
      [ $# -gt 0 ] || __end
      set -- install "$@"
      [ $__AUTO = 0 ] || set -- --auto-remove "$@"
      set -- -y -o "Dpkg::Options::=--force-confdef" -o "Dpkg::Options::=--force-confold" "$@"
      case $__REC in 0) set -- "$@" -o APT::Install-Recommends=no ;; 1) set -- "$@" -o APT::Install-Recommends=yes ;; esac
      __run "$@"; __r=$?
      if [ $__r -ne 0 ]; then
        echo "@@rc=$__r"
        __end "'$AG -y -o \\"Dpkg::Options::=--force-confdef\\" -o \\"Dpkg::Options::=--force-confold\\" install $__txt' failed: $(cat "$__t/e")"
      fi
      echo @@changed
      __end
      """;

  /** The script of {@code apt}. */
  static String text(AptModule m) {
    boolean cache = m.updateCache() || m.cacheValidTime() > 0;
    return PackageOutput.PRELUDE
        + "__CVT="
        + m.cacheValidTime()
        + "; __PURGE="
        + (m.purge() ? 1 : 0)
        + "; __AUTO="
        + (m.autoremove() ? 1 : 0)
        + "; __LATEST="
        + (m.state().equals("latest") ? 1 : 0)
        + "; __REC="
        + m.installRecommends().map(b -> b ? "1" : "0").orElse("")
        + "\n"
        + SETUP
        + (cache ? CACHE : "")
        + AUTOREMOVE
        + (m.state().equals("absent") ? REMOVE : INSTALL);
  }
}
