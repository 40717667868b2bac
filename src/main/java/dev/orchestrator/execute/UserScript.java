package dev.orchestrator.execute;

/**
 * The POSIX {@code sh} body of {@link UserModule}'s script, after {@link ServiceScript#PRELUDE} and
 * the flags {@link UserModule#script} sets ({@code __uid}, {@code __present}, ...); the values are
 * the exported {@code __ORCH_USER_*} variables. What it prints: {@code @@changed} before each
 * changing command, {@code @@added}/{@code @@deleted}, {@code @@rc=N} before a failing command's
 * message, and {@code @@passwd LINE} (the user's {@code getent passwd} line) at the end.
 */
final class UserScript {
  private UserScript() {}

  /** The body. */
  static final String BODY =
      """
      set -f
      N=$__ORCH_USER_NAME
      __t=$(mktemp -d) || __svc_fail 'mktemp failed'
      trap 'rm -rf "$__t"' EXIT
      __tool() { __svc_bin "$1" || __svc_fail "Failed to find required executable $1 in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"; }
      __pwline() {
        __l=$(getent passwd "$N" 2>/dev/null) || return 1
        [ "${__l%%:*}" = "$N" ] || return 1
        printf '%s\\n' "$__l"
      }
      __field() { printf '%s\\n' "$1" | cut -d: -f"$2"; }
      __gid_of() {
        __gl=$(getent group "$1" 2>/dev/null) || return 1
        __gl=${__gl#*:}; __gl=${__gl#*:}; printf '%s\\n' "${__gl%%:*}"
      }
      __do() {
        echo @@changed
        "$@" >"$__t/o" 2>"$__t/e"; __x=$?
        cat "$__t/o"; cat "$__t/e" >&2
        if [ $__x -ne 0 ]; then echo "@@rc=$__x"; __svc_fail "$(cat "$__t/e")" "$(cat "$__t/e")"; fi
      }
      __setpw() {
        __c=$(__tool chpasswd) || exit 1
        if ! printf '%s:%s\\n' "$N" "$__ORCH_USER_PASSWORD" | "$__c" -e >"$__t/o" 2>"$__t/e"; then
          echo "@@rc=1"; __svc_fail "$(cat "$__t/e")" "$(cat "$__t/e")"
        fi
      }
      __each_group() {
        __ifs=$IFS; IFS=,
        for __g in $__ORCH_USER_GROUPS; do IFS=$__ifs; "$@" "$__g"; IFS=,; done
        IFS=$__ifs
      }
      __must_exist() { __gid_of "$1" >/dev/null || __svc_fail "Group $1 does not exist"; }
      __in() { printf '%s\\n' "$2" | grep -Fqx -- "$1"; }
      if [ $__present = 0 ]; then
        if __pwline >/dev/null; then
          __b=$(__tool userdel) || exit 1
          set -- "$__b"
          [ $__f = 0 ] || set -- "$@" -f
          [ $__r = 0 ] || set -- "$@" -r
          __do "$@" "$N"; echo @@deleted
        fi
        exit 0
      fi
      if ! __cur=$(__pwline); then
        __b=$(__tool useradd) || exit 1
        set -- "$__b"
        if [ -n "$__uid" ]; then set -- "$@" -u "$__uid"; [ $__o = 0 ] || set -- "$@" -o; fi
        if [ $__hasg = 1 ]; then
          __must_exist "$__ORCH_USER_GROUP"; set -- "$@" -g "$__ORCH_USER_GROUP"
        elif __gid_of "$N" >/dev/null; then set -- "$@" -N; fi
        if [ -n "$__ORCH_USER_GROUPS" ]; then
          __each_group __must_exist; set -- "$@" -G "$__ORCH_USER_GROUPS"
        fi
        [ $__hasc = 0 ] || set -- "$@" -c "$__ORCH_USER_COMMENT"
        if [ $__hash = 1 ]; then
          __p=$(dirname -- "$__ORCH_USER_HOME")
          if [ $__mk = 1 ] && [ ! -d "$__p" ]; then mkdir -p -- "$__p"; fi
          set -- "$@" -d "$__ORCH_USER_HOME"
        fi
        [ $__hass = 0 ] || set -- "$@" -s "$__ORCH_USER_SHELL"
        if [ $__mk = 1 ]; then set -- "$@" -m; else set -- "$@" -M; fi
        [ $__sys = 0 ] || set -- "$@" -r
        __do "$@" "$N"; echo @@added
        [ $__haspw = 0 ] || __setpw
      else
        __b=$(__tool usermod) || exit 1
        set --
        __cuid=$(__field "$__cur" 3); __cgid=$(__field "$__cur" 4)
        __cc=$(__field "$__cur" 5); __ch=$(__field "$__cur" 6); __cs=$(__field "$__cur" 7)
        if [ -n "$__uid" ] && [ "$__cuid" != "$__uid" ]; then
          set -- "$@" -u "$__uid"; [ $__o = 0 ] || set -- "$@" -o
        fi
        if [ $__hasg = 1 ]; then
          __must_exist "$__ORCH_USER_GROUP"
          __g=$(__gid_of "$__ORCH_USER_GROUP")
          [ "$__cgid" = "$__g" ] || set -- "$@" -g "$__g"
        fi
        if [ $__hasgs = 1 ]; then
          __now=$(getent group | awk -F: '{n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == ENVIRON["__ORCH_USER_NAME"]) print $1}')
          __need=0
          if [ -z "$__ORCH_USER_GROUPS" ]; then
            [ -z "$__now" ] || [ $__app = 1 ] || __need=1
          else
            __each_group __must_exist
            __new=0
            __add() { __in "$1" "$__now" || __new=1; }
            __each_group __add
            __gone=0
            __wanted=$(printf '%s\\n' "$__ORCH_USER_GROUPS" | tr , '\\n')
            for __g in $__now; do __in "$__g" "$__wanted" || __gone=1; done
            if [ $__app = 1 ]; then
              if [ $__new = 1 ]; then set -- "$@" -a; __need=1; fi
            elif [ $__new = 1 ] || [ $__gone = 1 ]; then __need=1; fi
          fi
          [ $__need = 0 ] || set -- "$@" -G "$__ORCH_USER_GROUPS"
        fi
        if [ $__hasc = 1 ] && [ "$__cc" != "$__ORCH_USER_COMMENT" ]; then
          set -- "$@" -c "$__ORCH_USER_COMMENT"
        fi
        if [ $__hash = 1 ] && [ "$__ch" != "$__ORCH_USER_HOME" ]; then
          set -- "$@" -d "$__ORCH_USER_HOME"; [ $__mv = 0 ] || set -- "$@" -m
        fi
        if [ $__hass = 1 ] && [ "$__cs" != "$__ORCH_USER_SHELL" ]; then
          set -- "$@" -s "$__ORCH_USER_SHELL"
        fi
        __pwnew=0
        if [ $__pwall = 1 ] && [ $__haspw = 1 ]; then
          __old=$(getent shadow "$N" 2>/dev/null | cut -d: -f2)
          while [ "${__old#!}" != "$__old" ]; do __old=${__old#!}; done
          __want=$__ORCH_USER_PASSWORD
          while [ "${__want#!}" != "$__want" ]; do __want=${__want#!}; done
          [ "$__old" = "$__want" ] || __pwnew=1
        fi
        [ $# -eq 0 ] || __do "$__b" "$@" "$N"
        if [ $__pwnew = 1 ]; then echo @@changed; __setpw; fi
      fi
      __cur=$(__pwline) || __svc_fail "failed to look up user name: $N"
      __h=$__ORCH_USER_HOME
      [ $__hash = 1 ] || __h=$(__field "$__cur" 6)
      if [ $__mk = 1 ] && [ -n "$__h" ] && [ ! -e "$__h" ]; then
        echo @@changed
        mkdir -p -- "$(dirname -- "$__h")"
        if [ -d /etc/skel ]; then cp -R /etc/skel "$__h"; else mkdir -p -- "$__h"; fi
        __um=$(sed -n 's/^UMASK[[:space:]]\\{1,\\}\\([0-9]\\{1,\\}\\)$/\\1/p' /etc/login.defs 2>/dev/null | tail -n 1)
        [ -z "$__um" ] || chmod "$(printf '%o' $((0777 & ~0$__um)))" "$__h"
        chown -R "$(__field "$__cur" 3):$(__field "$__cur" 4)" "$__h"
      fi
      echo "@@passwd $__cur"
      exit 0
      """;
}
