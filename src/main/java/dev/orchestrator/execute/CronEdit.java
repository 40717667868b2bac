package dev.orchestrator.execute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code cron} does to a crontab read from the host, as the {@code main} of ansible-core
 * 2.14's {@code lib/ansible/modules/cron.py} decides it: its checks (their messages as the
 * module's), a variable or a job added, changed or removed, {@code changed} when it was, or when
 * the crontab lacked its final line break; a cron file left without jobs by {@code absent} is
 * removed.
 *
 * @param changed whether the crontab is written (or the cron file removed)
 * @param removeFile whether the cron file is removed instead of written
 * @param fields the result keys
 */
record CronEdit(boolean changed, boolean removeFile, Map<String, Object> fields) {
  /** Copies the fields. */
  CronEdit {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * Applies {@code a} to {@code tab} (which it edits).
   *
   * @param inFile whether {@code tab} is a cron file's
   * @throws IllegalArgumentException with the module's message when it fails
   */
  static CronEdit apply(CronModule.Args a, CronTab tab, boolean inFile) {
    List<String> warnings = new ArrayList<>();
    a.cronFile()
        .ifPresent(
            f -> {
              if (f.equals("/etc/crontab")) {
                throw new IllegalArgumentException(
                    "Will not manage /etc/crontab via cron_file, see documentation.");
              }
              String base = f.substring(f.lastIndexOf('/') + 1);
              if (!base.matches("(?i)[A-Z0-9_-]+")) {
                warnings.add(
                    "Filename portion of cron_file (\""
                        + base
                        + "\") should consist solely of upper- and lower-case letters, digits,"
                        + " underscores, and hyphens");
              }
            });
    if (a.special().isPresent() && a.times().stream().anyMatch(t -> !t.equals("*"))) {
      throw new IllegalArgumentException("You must specify time and date fields or special time.");
    }
    if (a.present()) {
      if (inFile && a.user().isEmpty()) {
        throw new IllegalArgumentException(
            "To use cron_file=... parameter you must specify user=... as well");
      }
      if (a.job().isEmpty()) {
        throw new IllegalArgumentException(
            "You must specify 'job' to install a new cron job or variable");
      }
      if ((a.insertAfter().isPresent() || a.insertBefore().isPresent()) && !a.env()) {
        throw new IllegalArgumentException(
            "Insertafter and insertbefore parameters are valid only with env=yes");
      }
    }
    boolean changed = a.env() ? env(a, tab) : job(a, tab, inFile, warnings);
    if (!a.env() && !a.present() && changed && inFile && tab.isEmpty()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("changed", true);
      f.put("cron_file", a.cronFile().orElseThrow());
      f.put("state", "absent");
      return new CronEdit(true, true, f);
    }
    String existing = tab.existing();
    if (!changed && !existing.isEmpty() && !existing.endsWith("\n") && !existing.endsWith("\r")) {
      changed = true;
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("jobs", tab.jobNames());
    f.put("envs", tab.envNames());
    f.put("warnings", warnings);
    f.put("changed", changed);
    a.cronFile().ifPresent(c -> f.put("cron_file", c));
    return new CronEdit(changed, false, f);
  }

  private static boolean env(CronModule.Args a, CronTab tab) {
    if (a.name().contains(" ")) {
      throw new IllegalArgumentException("Invalid name for environment variable");
    }
    String decl = a.name() + "=\"" + a.job().orElse("None") + "\"";
    int old = tab.findEnv(a.name());
    if (!a.present()) {
      if (old >= 0) {
        tab.updateEnv(a.name(), Optional.empty());
        return true;
      }
      return false;
    }
    if (old < 0) {
      tab.addEnv(decl, a.insertAfter(), a.insertBefore());
      return true;
    }
    if (!tab.lines().get(old).equals(decl)) {
      tab.updateEnv(a.name(), Optional.of(decl));
      return true;
    }
    return false;
  }

  private static boolean job(
      CronModule.Args a, CronTab tab, boolean inFile, List<String> warnings) {
    if (!a.present()) {
      if (!tab.findJob(a.name(), Optional.empty()).isEmpty()) {
        tab.updateJob(a.name(), Optional.empty());
        return true;
      }
      return false;
    }
    String stripped = CronTab.strip(a.job().orElseThrow());
    if (stripped.indexOf('\r') >= 0 || stripped.indexOf('\n') >= 0) {
      warnings.add("Job should not contain line breaks");
    }
    String line =
        CronTab.jobLine(
            a.times(),
            a.job().orElseThrow(),
            a.special(),
            a.disabled(),
            inFile ? Optional.of(a.user().orElse("None")) : Optional.empty());
    List<Object> old = tab.findJob(a.name(), Optional.of(line));
    boolean changed = false;
    if (old.isEmpty()) {
      tab.addJob(a.name(), line);
      changed = true;
    }
    if (!old.isEmpty() && !old.get(1).equals(line)) {
      tab.updateJob(a.name(), Optional.of(line));
      changed = true;
    }
    if (old.size() > 2) {
      tab.updateJob(a.name(), Optional.of(line));
      changed = true;
    }
    return changed;
  }
}
