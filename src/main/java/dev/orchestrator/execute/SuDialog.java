package dev.orchestrator.execute;

import dev.orchestrator.transport.TerminalDialog;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Answers {@code su}'s password prompt on a terminal ({@link
 * dev.orchestrator.transport.Connection#execInTerminal}), as Ansible's {@code su} become plugin
 * does (ansible-core {@code lib/ansible/plugins/become/su.py}, {@code check_password_prompt}): a
 * line that starts with one of su's localized prompt words ({@code Password}, {@code Passwort},
 * {@code Mot de passe}, {@code 密码}, ...; {@code ansible_su_prompt_l10n} replaces the list),
 * optionally preceded by {@code USER's }, then a colon (or a fullwidth one) is a prompt. The
 * password is typed once; a second prompt means it was refused, and the dialog gives up at once
 * rather than wait. The command started when the line {@link #marker} (printed by the shell su
 * starts) arrives: what su printed before it (the prompt, its newline, a login shell's banner) is
 * no part of the command's output.
 */
final class SuDialog implements TerminalDialog {
  /** su's prompt words, as Ansible's su plugin lists them (SU_PROMPT_LOCALIZATIONS). */
  static final List<String> PROMPTS =
      List.of(
          "Password",
          "암호",
          "パスワード",
          "Adgangskode",
          "Contraseña",
          "Contrasenya",
          "Hasło",
          "Heslo",
          "Jelszó",
          "Lösenord",
          "Mật khẩu",
          "Mot de passe",
          "Parola",
          "Parool",
          "Pasahitza",
          "Passord",
          "Passwort",
          "Salasana",
          "Sandi",
          "Senha",
          "Wachtwoord",
          "ססמה",
          "Лозинка",
          "Парола",
          "Пароль",
          "गुप्तशब्द",
          "शब्दकूट",
          "సంకేతపదము",
          "හස්පදය",
          "密码",
          "密碼",
          "口令");

  private final String password;
  private final String marker;
  private final Pattern prompt;
  private final boolean answers;
  private final java.time.Duration startWithin;
  private int answeredLine = -1;
  private boolean started;
  private String transcript = "";
  private String gaveUp = "";

  /**
   * A dialog that types {@code password} and waits for {@code marker}.
   *
   * @param password the become password (never shown by this object)
   * @param marker the line the started shell prints first
   * @param prompts the prompt words; empty for {@link #PROMPTS}
   */
  SuDialog(String password, String marker, List<String> prompts) {
    this(password, marker, prompts, true, Become.PROMPT_TIMEOUT);
  }

  /**
   * A dialog that types {@code password} only if {@code answers}: su run by root asks no password,
   * so a prompt-looking line is then the target user's startup scripts asking, never typed at.
   *
   * @param password the become password (never shown by this object)
   * @param marker the line the started shell prints first
   * @param prompts the prompt words; empty for {@link #PROMPTS}
   * @param answers whether su may ask (false: the connecting user is root)
   * @param startWithin how long su may take to start the shell ({@link #startWithin})
   */
  SuDialog(
      String password,
      String marker,
      List<String> prompts,
      boolean answers,
      java.time.Duration startWithin) {
    this.answers = answers;
    if (startWithin.isNegative() || startWithin.isZero()) {
      throw new IllegalArgumentException("startWithin must be positive: " + startWithin);
    }
    this.startWithin = startWithin;
    this.password = Objects.requireNonNull(password, "password");
    this.marker = Objects.requireNonNull(marker, "marker");
    List<String> words = prompts.isEmpty() ? PROMPTS : prompts;
    this.prompt =
        Pattern.compile(
            "(\\w+'s )?("
                + words.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                + ") ?(:|\uFF1A) ?",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
  }

  @Override
  public synchronized Reply next(String text) {
    transcript = text;
    for (int at = text.indexOf(marker + "\n"); at >= 0; at = text.indexOf(marker + "\n", at + 1)) {
      if (at == 0 || text.charAt(at - 1) == '\n') {
        started = true;
        return new Started(at + marker.length() + 1);
      }
    }
    int lineStart = text.lastIndexOf('\n') + 1;
    String line = text.substring(lineStart);
    if (answers && lineStart > answeredLine && prompt.matcher(line).lookingAt()) {
      if (answeredLine >= 0) {
        gaveUp = "su asked for a password again";
        return new Abandon(gaveUp);
      }
      answeredLine = lineStart;
      return new Answer(password + "\n");
    }
    return new Wait();
  }

  @Override
  public java.time.Duration startWithin() {
    return startWithin;
  }

  /** Returns whether the shell su starts printed the marker. */
  synchronized boolean started() {
    return started;
  }

  /** Returns whether su asked for the password (once at least). */
  synchronized boolean asked() {
    return answeredLine >= 0;
  }

  /**
   * What su printed after the password was typed (or everything, if it never asked), without the
   * password should su have shown it, trimmed: its reason for failing.
   */
  synchronized String suSaid() {
    String after = answeredLine >= 0 ? transcript.substring(answeredLine) : transcript;
    int nl = answeredLine >= 0 ? after.indexOf('\n') : -1;
    String words = nl >= 0 ? after.substring(nl + 1) : after;
    if (!password.isEmpty()) {
      words = words.replace(password, dev.orchestrator.common.Secrets.MASK);
    }
    words = words.strip();
    return words.isEmpty() ? gaveUp : words + (gaveUp.isEmpty() ? "" : "; " + gaveUp);
  }

  /**
   * The last line su printed that is not blank (the question it waits on), the password masked,
   * trimmed; "" if it printed nothing.
   */
  synchronized String lastLine() {
    String said = suSaid();
    String[] lines = said.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip();
      }
    }
    return "";
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "SuDialog[marker=" + marker + "]";
  }

  /** The prompt words of {@code ansible_su_prompt_l10n} (a list, or a comma-separated text). */
  static List<String> prompts(Optional<Object> configured) {
    if (configured.isEmpty()) {
      return List.of();
    }
    Object value = configured.get();
    List<?> items = value instanceof List<?> l ? l : List.of(String.valueOf(value).split(","));
    return items.stream()
        .map(String::valueOf)
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
