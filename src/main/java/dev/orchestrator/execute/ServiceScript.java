package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The POSIX {@code sh} text of a {@link ServiceModule}: the steps of ansible-core 2.14's {@code
 * systemd.py} ({@code main}) and of {@code service.py}'s {@code LinuxService} for init scripts, in
 * their order, with their messages. Only fixed words of ours are part of the text; the name is the
 * exported {@code $__ORCH_SVC_NAME}.
 */
final class ServiceScript {
  private ServiceScript() {}

  /**
   * Shared by the system modules' scripts: {@code __svc_fail MESSAGE [OUTPUT]} (Ansible's message
   * on stderr after {@code @@msg}, exit 1) and {@code __svc_bin NAME} (Ansible's {@code
   * get_bin_path}: {@code PATH}, then the sbin folders).
   */
  static final String PRELUDE =
      """
      __svc_fail() {
        printf '@@msg %s\\n' "$1" >&2
        # a command's output ended the message: Ansible's keeps its final line break
        [ -z "${2:-}" ] || printf '@@nl\\n' >&2
        exit 1
      }
      __svc_bin() {
        __p=$PATH:/sbin:/usr/sbin:/usr/local/sbin
        __o=$IFS; IFS=:
        for __d in $__p; do
          IFS=$__o
          if [ -n "$__d" ] && [ -f "$__d/$1" ] && [ -x "$__d/$1" ]; then printf '%s\\n' "$__d/$1"; return 0; fi
        done
        IFS=$__o; return 1
      }
      """;

  /** systemd.py's main, after its argument checks. */
  private static final String SYSTEMD =
      """
      echo @@systemd
      if [ "$__SVC_RELOAD" = 1 ]; then
        __e=$(sc daemon-reload 2>&1 >/dev/null); __r=$?
        [ $__r -eq 0 ] || __svc_fail "failure $__r during daemon-reload: $__e" "$__e"
      fi
      if [ "$__SVC_REEXEC" = 1 ]; then
        __e=$(sc daemon-reexec 2>&1 >/dev/null); __r=$?
        [ $__r -eq 0 ] || __svc_fail "failure $__r during daemon-reexec: $__e" "$__e"
      fi
      [ -n "$N" ] || exit 0
      __found=0; __initd=0; __hasactive=0; __active=
      if [ -e "/etc/init.d/$N" ]; then __found=1; __initd=1; fi
      __show=$(sc show "$N" 2>/dev/null); __r=$?
      if [ $__r -eq 0 ] && [ -n "$__show" ]; then
        printf '%s\\n' "$__show" | sed 's/^/|/'
        __load=$(printf '%s\\n' "$__show" | sed -n 's/^LoadState=//p' | tail -n 1)
        if [ -n "$__load" ] && [ "$__load" != not-found ]; then
          __found=1; __sd=1
          if [ "$__load" != masked ] && printf '%s\\n' "$__show" | grep -q '^LoadError='; then
            __svc_fail "Error loading unit file '$N': $(printf '%s\\n' "$__show" | sed -n 's/^LoadError=//p' | tail -n 1)"
          fi
        fi
        if printf '%s\\n' "$__show" | grep -q '^ActiveState='; then
          __hasactive=1
          __active=$(printf '%s\\n' "$__show" | sed -n 's/^ActiveState=//p' | tail -n 1 | sed 's/^ *//; s/ *$//')
        fi
      elif [ $__r -ne 0 ]; then
        __ie=$(sc is-enabled "$N" 2>/dev/null)
        case "$__ie" in
          enabled|enabled-runtime|linked|linked-runtime|masked|masked-runtime|static|indirect|disabled|generated|transient) __found=1; __sd=1 ;;
          *) if sc list-unit-files "$N" >/dev/null 2>&1; then __found=1; __sd=1
             else __e=$(sc 2>&1 >/dev/null) || __svc_fail "$__e"; fi ;;
        esac
      fi
      if [ "$__initd" = 1 ] && [ "${__sd:-0}" != 1 ]; then
        echo "::warning The service ($N) is actually an init script but the system is managed by systemd"
      fi
      __missing() { [ $__found = 1 ] || __svc_fail "Could not find the requested service $N: host"; }
      if [ -n "$__SVC_MASKED" ]; then
        __m=false; [ "$(sc is-enabled "$N" 2>/dev/null | tr -d ' \\t\\n')" = masked ] && __m=true
        if [ "$__m" != "$__SVC_MASKED" ]; then
          echo @@changed
          if [ "$__SVC_MASKED" = true ]; then __a=mask; else __a=unmask; fi
          sc $__a "$N" >/dev/null 2>&1 || __missing
        fi
      fi
      if [ -n "$__SVC_ENABLED" ]; then
        __missing
        __ie=$(sc is-enabled "$N" -l 2>/dev/null); __r=$?
        __en=false
        if [ $__r -eq 0 ]; then
          __en=true
          if [ "$__ie" = indirect ] || [ "$__ie" = alias ]; then __en=false; fi
        elif [ $__r -eq 1 ] && [ "$__SVC_SCOPE" = system ] && [ $__initd = 1 ]; then
          case "$(printf '%s' "$__ie" | sed 's/[[:space:]]*$//')" in
            *disabled) ;;
            *) for __f in /etc/rc?.d/S??"$N"; do [ -e "$__f" ] && __en=true; done ;;
          esac
        fi
        if [ "$__en" != "$__SVC_ENABLED" ]; then
          echo @@changed
          if [ "$__SVC_ENABLED" = true ]; then __a=enable; else __a=disable; fi
          __e=$(sc $__a "$N" 2>&1) || __svc_fail "Unable to $__a service $N: $__e" "$__e"
          __en=$__SVC_ENABLED
        fi
        echo "@@enabled=$__en"
      fi
      if [ -n "$__SVC_STATE" ]; then
        __missing
        __st=$__SVC_STATE
        if [ $__hasactive = 1 ]; then
          case "$__active" in active|activating) __run=1 ;; *) __run=0 ;; esac
          __a=
          case "$__SVC_STATE" in
            started) [ $__run = 1 ] || __a=start ;;
            stopped) if [ $__run = 1 ] || [ "$__active" = deactivating ]; then __a=stop; fi ;;
            *) if [ $__run = 1 ]; then __a=${__SVC_STATE%ed}; else __a=start; fi; __st=started ;;
          esac
          if [ -n "$__a" ]; then
            echo @@changed
            __e=$(sc $__a "$N" 2>&1 >/dev/null) || __svc_fail "Unable to $__a service $N: $__e" "$__e"
          fi
        elif [ "${SYSTEMD_OFFLINE:-}" = 1 ]; then
          echo "::warning Target is a chroot or systemd is offline. This can lead to false positives or prevent the init system tools from working."
        else
          __svc_fail "Service is in unknown state"
        fi
        echo "@@state=$__st"
      fi
      exit 0
      """;

  /** service.py's LinuxService with SysV init scripts: status, then the action if it changes. */
  private static final String SYSV =
      """
      __init=; [ -f "/etc/init.d/$N" ] && __init="/etc/init.d/$N"
      if [ -n "$__init" ] && { __svc_bin update-rc.d >/dev/null || __svc_bin insserv >/dev/null || __svc_bin chkconfig >/dev/null; }; then :
      else __svc_fail "Could not find the requested service $N: host"; fi
      if [ -n "$__SVC_ENABLED" ]; then
        __svc_fail "enabled: on a host without systemd (init scripts) is not supported by orchestrator's service module; enable it with a shell step (update-rc.d $N defaults)"
      fi
      __sb=$(__svc_bin service)
      __t=$(mktemp -d) || __svc_fail "mktemp failed"
      trap 'rm -rf "$__t"' EXIT
      __ctl() { if [ -n "$__sb" ]; then "$__sb" "$N" "$1"; else "$__init" "$1"; fi; }
      __ctl status >"$__t/o" 2>"$__t/e"; __r=$?
      __run=
      case $__r in 1|2|3|4|69) __run=0 ;; esac
      if [ -z "$__run" ] && [ "$(tr -cd '\\n' <"$__t/o" | wc -c)" -le 1 ]; then
        __ln=$(printf '%s' "$N" | tr 'A-Z' 'a-z'); export __ln
        __c=$(tr 'A-Z' 'a-z' <"$__t/o" | awk 'BEGIN { n = ENVIRON["__ln"] } { s = $0; o = ""; if (n != "") while ((i = index(s, n)) > 0) { o = o substr(s, 1, i - 1); s = substr(s, i + length(n)) } print o s }')
        case "$__c" in
          *stop*) __run=0 ;;
          *run*) case "$__c" in *"not "*) __run=0 ;; *) __run=1 ;; esac ;;
          *start*) case "$__c" in *"not "*) ;; *) __run=1 ;; esac ;;
        esac
        if [ -z "$__run" ]; then
          case "$__c" in
            *"could not access pid file"*|*"is dead and pid file exists"*|*"dead but subsys locked"*|*"dead but pid file exists"*) __run=0 ;;
          esac
        fi
      fi
      if [ -z "$__run" ] && [ $__r -eq 0 ]; then __run=1; fi
      [ -n "$__run" ] || __svc_fail "failed determining service state, possible typo of service name?"
      __a=
      case "$__SVC_STATE" in
        started) [ $__run = 1 ] || __a=start ;;
        stopped) [ $__run = 0 ] || __a=stop ;;
        reloaded) if [ $__run = 1 ]; then __a=reload; else __a=start; fi ;;
        restarted) __a=restart ;;
      esac
      if [ -n "$__a" ]; then
        echo @@changed
        if [ "$__a" = restart ]; then
          __ctl stop >"$__t/o1" 2>"$__t/e1"; __r1=$?
          sleep "$__SVC_SLEEP"
          __ctl start >"$__t/o2" 2>"$__t/e2"; __r2=$?
          if [ $__r1 -ne 0 ] && [ $__r2 -eq 0 ]; then __r=0; cat "$__t/o2" >"$__t/o"; cat "$__t/e2" >"$__t/e"
          else __r=$((__r1 + __r2)); cat "$__t/o1" "$__t/o2" >"$__t/o"; cat "$__t/e1" "$__t/e2" >"$__t/e"; fi
        else
          __ctl "$__a" >"$__t/o" 2>"$__t/e"; __r=$?
        fi
        cat "$__t/o"
        if [ $__r -ne 0 ]; then
          if [ -s "$__t/e" ]; then __svc_fail "$(cat "$__t/e")"; else __svc_fail "$(cat "$__t/o")"; fi
        fi
      fi
      case "$__SVC_STATE" in stopped) echo @@state=stopped ;; *) echo @@state=started ;; esac
      exit 0
      """;

  /** The script for {@code m}. */
  static ShellTemplate of(ServiceModule m) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_SVC_NAME", m.name());
    StringBuilder text = new StringBuilder(PRELUDE).append("N=$__ORCH_SVC_NAME\n");
    // fixed words only: the state, booleans, options from a closed list, a number
    text.append("__SVC_STATE=").append(m.state()).append('\n');
    text.append("__SVC_ENABLED=").append(m.enabled().map(String::valueOf).orElse("")).append('\n');
    text.append("__SVC_MASKED=").append(m.masked().map(String::valueOf).orElse("")).append('\n');
    text.append("__SVC_RELOAD=").append(m.daemonReload() ? 1 : 0).append('\n');
    text.append("__SVC_REEXEC=").append(m.daemonReexec() ? 1 : 0).append('\n');
    text.append("__SVC_SCOPE=")
        .append(m.flags().contains("--user") || m.flags().contains("--global") ? "user" : "system")
        .append('\n');
    text.append("__SVC_SLEEP=").append(m.sleep()).append('\n');
    text.append("sc() { \"$SC\" ").append(String.join(" ", m.flags())).append(" \"$@\"; }\n");
    if (m.module().equals("systemd")) {
      text.append(
          "SC=$(__svc_bin systemctl) || __svc_fail \"Failed to find required executable"
              + " \\\"systemctl\\\" in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin\"\n");
      text.append(SYSTEMD);
    } else {
      // Ansible's service_mgr fact and service.py's check_systemd: systemctl, and systemd booted
      text.append(
          "if SC=$(__svc_bin systemctl) && { [ -e /run/systemd/system/ ] || [ -e"
              + " /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ] || grep -q systemd /proc/1/comm"
              + " 2>/dev/null; }; then\n");
      text.append(SYSTEMD);
      text.append("fi\n");
      text.append(SYSV);
    }
    return new ShellTemplate(text.toString(), values);
  }
}
