package dev.orchestrator.execute;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.orchestrator.common.Redactor;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code plan --check --diff} (Ansible's {@code --check --diff}): for every {@code template:} and
 * {@code copy:} step a host will run, renders the content as the run would, reads the file on the
 * host (read-only: {@code stat}, {@code sha256sum}, {@code head -c}) and gives a unified diff of
 * what would change. Secret values and what the content derives from them are masked ({@link
 * DerivedSecrets}); a file larger than {@link #MAX_BYTES} or not UTF-8 text is summarised by size
 * and SHA-256. Hosts are read one after the other (a preview, not a rollout).
 */
public final class FileDiffs {
  /** The most bytes of a file that are compared: 256 KiB. */
  public static final int MAX_BYTES = 256 * 1024;

  private final Connector connector;
  private final TemplateEngine templates;
  private final Set<String> secretNames;

  /**
   * Creates the differ.
   *
   * @param connector opens read-only connections
   * @param templates renders the steps' templates
   * @param secretNames the variables declared secret
   */
  public FileDiffs(Connector connector, TemplateEngine templates, Set<String> secretNames) {
    this.connector = connector;
    this.templates = templates;
    this.secretNames = Set.copyOf(secretNames);
  }

  /**
   * Returns one text block per file step that would change a file ({@code --- HOST: STEP DEST});
   * unchanged files and unreachable hosts give a one-line note.
   */
  public List<String> diffs(Plan plan) {
    List<String> out = new ArrayList<>();
    for (PlannedHost host : plan.hosts().filter(PlannedHost::needsWork).toList()) {
      List<PlannedStep> steps =
          host.steps().stream()
              .filter(s -> s.prediction().needsWork() && s.step().extras().file().isPresent())
              .toList();
      if (steps.isEmpty()) {
        continue;
      }
      Redactor redactor = new Redactor();
      DerivedSecrets secrets = new DerivedSecrets(templates, secretNames, redactor);
      Map<String, Object> vars = new LinkedHashMap<>(host.vars());
      secrets.addSecretsOf(vars);
      String name = host.host().name();
      try (Connection c = connector.open(name, Endpoints.of(host.host().connection()))) {
        for (PlannedStep ps : steps) {
          vars.putAll(ps.overrides());
          out.add(redactor.redact(diff(c, name, ps, vars, secrets)));
        }
      } catch (TransportException | RuntimeException e) {
        out.add(name + ": files not compared: " + redactor.redact(String.valueOf(e.getMessage())));
      }
    }
    return out;
  }

  private String diff(
      Connection c, String host, PlannedStep ps, Map<String, Object> vars, DerivedSecrets secrets)
      throws TransportException {
    String head = host + ": " + ps.step().id();
    FileWrite write;
    try {
      if (ps.step().when().isPresent() && !templates.evaluate(ps.step().when().get(), vars)) {
        return head + ": skipped (when is false)";
      }
      write = FileActions.render(ps.step(), vars, templates, secrets);
    } catch (TemplateException e) {
      return head + ": cannot preview: " + e.getMessage();
    } catch (IllegalArgumentException e) {
      return head + ": " + e.getMessage();
    }
    ExecResult probe =
        c.exec(
            write.command(HostFile.probeScript(write.dest())), Optional.of(Prober.PROBE_TIMEOUT));
    Optional<HostFile> now = HostFile.parse(probe.stdout());
    if (now.isEmpty()) {
      return head + ": cannot read " + write.dest() + ": " + probe.stderr().strip();
    }
    HostFile before = now.get();
    if (before.exists() && !before.regular()) {
      return head + ": " + write.dest() + " is not a regular file: the run will fail";
    }
    if (write.contentMatches(before) && write.attributesMatch(before)) {
      return head + ": " + write.dest() + " unchanged";
    }
    String attrs = write.attributesMatch(before) ? "" : " (mode, owner or group change)";
    if (write.contentMatches(before)) {
      return head + ": " + write.dest() + attrs;
    }
    byte[] old = new byte[0];
    if (before.exists() && before.size() <= MAX_BYTES) {
      old =
          c.exec(
                  write.command("head -c " + MAX_BYTES + " -- " + ShellQuote.quote(write.dest())),
                  Optional.of(Prober.PROBE_TIMEOUT))
              .stdout()
              .getBytes(StandardCharsets.UTF_8);
    }
    byte[] neu = write.content();
    Optional<String> oldText = before.exists() ? text(old) : Optional.of("");
    Optional<String> newText = text(neu);
    if (before.size() > MAX_BYTES
        || neu.length > MAX_BYTES
        || oldText.isEmpty()
        || newText.isEmpty()) {
      return head
          + ": "
          + write.dest()
          + " would change"
          + attrs
          + " (binary or over "
          + MAX_BYTES / 1024
          + " KiB: "
          + (before.exists() ? before.size() + " bytes, sha256 " + before.sha256() : "absent")
          + " -> "
          + neu.length
          + " bytes, sha256 "
          + write.sha256()
          + ")";
    }
    List<String> a = lines(oldText.get());
    List<String> b = lines(newText.get());
    List<String> unified =
        UnifiedDiffUtils.generateUnifiedDiff(
            before.exists() ? write.dest() : "/dev/null", write.dest(), a, DiffUtils.diff(a, b), 3);
    return head + ": " + write.dest() + attrs + "\n" + String.join("\n", unified);
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1));
  }

  /** The bytes as UTF-8 text without control characters other than tab and newline. */
  private static Optional<String> text(byte[] bytes) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
      return s.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r')
          ? Optional.empty()
          : Optional.of(s);
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
