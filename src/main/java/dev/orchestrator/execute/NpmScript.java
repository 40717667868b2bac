package dev.orchestrator.execute;

import java.util.List;

/**
 * The POSIX {@code sh} functions of an {@link NpmModule}'s script: {@code __run VERB ADD CHECK}
 * runs one npm command as {@code npm.py}'s {@code Npm._exec} builds it (VERB {@code list} is {@code
 * list --json --long}; ADD 1 appends the package; CHECK 1 fails on a non-zero exit, with npm's
 * stderr as the message), its stdout in {@code $__t/o}; {@code __decide} reads the list's JSON with
 * {@code node} as {@code Npm.list} does, setting {@code __miss} (something is missing) and {@code
 * __inst} (the named package is installed). Only fixed words are part of the text.
 */
final class NpmScript {
  private NpmScript() {}

  /** The JSON reading of {@code Npm.list}, in JavaScript for {@code node}; no single quote. */
  private static final String DECIDE_JS =
      "const t = require(\"fs\").readFileSync(process.argv[1], \"utf8\");\n"
          + "let d;\n"
          + "try { d = JSON.parse(t === \"\" ? \"{}\" : t); }\n"
          + "catch (e) { console.log(\"E Failed to parse NPM output with error \" + e.message);"
          + " process.exit(0); }\n"
          + "const name = process.env.__ORCH_NPM_NAME, nv = process.env.__ORCH_NPM_NV;\n"
          + "const inst = [], miss = [];\n"
          + "if (d && typeof d === \"object\" && \"dependencies\" in d) {\n"
          + "  for (const [dep, p] of Object.entries(d.dependencies || {})) {\n"
          + "    if (p && p.missing) miss.push(dep);\n"
          + "    else if (p && p.invalid) miss.push(dep);\n"
          + "    else { inst.push(dep); if (p && p.version) inst.push(dep + \"@\" + p.version); }\n"
          + "  }\n"
          + "  if (nv && !inst.includes(nv)) miss.push(name);\n"
          + "} else miss.push(name);\n"
          + "if (miss.length) console.log(\"M\");\n"
          + "if (name && inst.includes(name)) console.log(\"I\");\n";

  /** The functions, after {@link ServiceScript#PRELUDE}, with the options of {@code flags}. */
  static String text(List<String> flags) {
    return "P=$__ORCH_NPM_PATH\n"
        + "__t=$(mktemp -d) || __svc_fail 'mktemp failed'\n"
        + "trap 'rm -rf \"$__t\"' EXIT\n"
        + "if [ -z \"$__ORCH_NPM_EXE\" ]; then\n"
        + "  __npmbin=$(__svc_bin npm) || __svc_fail \"Failed to find required executable npm"
        + " in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin\"\n"
        + "fi\n"
        + "if [ -n \"$P\" ]; then\n"
        + "  [ -e \"$P\" ] || mkdir -p -- \"$P\" || __svc_fail \"cannot make $P\"\n"
        + "  [ -d \"$P\" ] || __svc_fail \"path $P is not a directory\"\n"
        + "fi\n"
        + "__run() {\n"
        + "  __verb=$1; __add=$2; __chk=$3\n"
        + "  set -f\n"
        + "  if [ -n \"$__ORCH_NPM_EXE\" ]; then\n"
        + "    __ifs=$IFS; IFS=' '; set -- $__ORCH_NPM_EXE; IFS=$__ifs\n"
        + "  else set -- \"$__npmbin\"; fi\n"
        + "  set +f\n"
        + "  if [ \"$__verb\" = list ]; then set -- \"$@\" list --json --long;"
        + " else set -- \"$@\" \"$__verb\"; fi\n"
        + (flags.contains("global") ? "  set -- \"$@\" --global\n" : "")
        + (flags.contains("production")
            ? "  case $__verb in install|update|ci) set -- \"$@\" --production ;; esac\n"
            : "")
        + (flags.contains("ignore_scripts") ? "  set -- \"$@\" --ignore-scripts\n" : "")
        + (flags.contains("unsafe_perm") ? "  set -- \"$@\" --unsafe-perm\n" : "")
        + "  if [ \"$__add\" = 1 ] && [ -n \"$__ORCH_NPM_NV\" ]; then set -- \"$@\""
        + " \"$__ORCH_NPM_NV\"; fi\n"
        + "  if [ -n \"$__ORCH_NPM_REGISTRY\" ]; then set -- \"$@\" --registry"
        + " \"$__ORCH_NPM_REGISTRY\"; fi\n"
        + (flags.contains("no_optional") ? "  set -- \"$@\" --no-optional\n" : "")
        + (flags.contains("no_bin_links") ? "  set -- \"$@\" --no-bin-links\n" : "")
        + "  if [ -n \"$P\" ]; then (cd -- \"$P\" && exec \"$@\"); else \"$@\"; fi"
        + " >\"$__t/o\" 2>\"$__t/e\" </dev/null\n"
        + "  __r=$?\n"
        + "  [ \"$__verb\" = list ] || sed 's/^/@@out|/' \"$__t/o\"\n"
        + "  cat \"$__t/e\" >&2\n"
        + "  if [ \"$__chk\" = 1 ] && [ $__r -ne 0 ]; then\n"
        + "    if [ -s \"$__t/e\" ]; then __svc_fail \"$(cat \"$__t/e\")\" x;"
        + " else __svc_fail \"npm $__verb failed with exit code $__r\"; fi\n"
        + "  fi\n"
        + "}\n"
        + "__decide() {\n"
        + "  __node=$(__svc_bin node) || __svc_fail 'reading npm list needs node (npm runs on it),"
        + " not found in PATH'\n"
        + "  __d=$(\"$__node\" -e '"
        + DECIDE_JS
        + "' \"$__t/o\") || __svc_fail \"node failed to read npm list: $__d\"\n"
        + "  case $__d in \"E \"*) __svc_fail \"${__d#E }\" ;; esac\n"
        + "  __miss=0; __inst=0\n"
        + "  case $__d in *M*) __miss=1 ;; esac\n"
        + "  case $__d in *I*) __inst=1 ;; esac\n"
        + "}\n";
  }
}
