package dev.orchestrator.playbook;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file's permissions as Ansible's {@code mode} reads them (<a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/copy_module.html#parameter-mode">copy
 * module, mode</a>): an octal string ({@code "0644"}, {@code "644"}) or a symbolic one as {@code
 * chmod} writes it ({@code "u=rw,g=r,o=r"}, {@code "u+x"}). A YAML integer is taken as Ansible
 * takes it after YAML 1.1 read it ({@code 0644} is octal), see {@link #ofYamlInt}.
 *
 * @param text the mode as written (octal digits or symbolic clauses); never reaches a shell unless
 *     it matched one of the two forms
 */
public record FileMode(String text) {
  private static final Pattern OCTAL = Pattern.compile("0?[0-7]{3,4}|0");
  private static final Pattern CLAUSE = Pattern.compile("[ugoa]*([-+=]([rwxXst]*|[ugo]))+");

  /** Validates the form. */
  public FileMode {
    Objects.requireNonNull(text, "text");
    if (!isOctal(text) && !isSymbolic(text)) {
      throw new IllegalArgumentException(
          "invalid mode '"
              + text
              + "': write octal digits as a quoted string (\"0644\") or chmod's symbolic form"
              + " (\"u=rw,g=r,o=r\")");
    }
  }

  /**
   * Returns the mode of a YAML integer as Ansible reads it: YAML 1.1 reads {@code 0644} as octal,
   * and Ansible uses the number as the mode bits. A decimal integer ({@code 644}, which Ansible
   * would apply as {@code 01204}) is refused: it is a mistake in every playbook seen.
   *
   * @param raw the integer as written in the YAML file
   * @throws IllegalArgumentException for a decimal integer or one out of range
   */
  public static FileMode ofYamlInt(String raw) {
    String digits = raw.startsWith("0o") ? raw.substring(2) : raw;
    if (!digits.equals("0") && !(digits.startsWith("0") || raw.startsWith("0o"))) {
      throw new IllegalArgumentException(
          "mode "
              + raw
              + " is a decimal number, which Ansible would apply as mode "
              + (raw.matches("\\d{1,6}") ? "0" + Integer.toOctalString(Integer.parseInt(raw)) : "?")
              + "; write it with a leading 0 (0644) or quoted (\"0644\")");
    }
    return new FileMode(digits.replaceFirst("^0+(?=.)", ""));
  }

  /**
   * Returns the mode as {@code chmod} is given it on the host: octal as it is, a symbolic clause
   * without "who" as {@code a} ({@code +x} is {@code a+x}), so that the host's umask does not
   * change what {@link #apply} computed, as with Ansible.
   */
  public String chmodText() {
    if (octal()) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    for (String clause : text.split(",")) {
      out.append(out.isEmpty() ? "" : ",")
          .append("ugoa".indexOf(clause.charAt(0)) >= 0 ? "" : "a")
          .append(clause);
    }
    return out.toString();
  }

  /** Whether the mode is octal digits. */
  public boolean octal() {
    return isOctal(text);
  }

  private static boolean isOctal(String text) {
    return OCTAL.matcher(text).matches();
  }

  private static boolean isSymbolic(String text) {
    if (text.isEmpty() || text.length() > 200) {
      return false;
    }
    for (String clause : text.split(",", -1)) {
      if (!CLAUSE.matcher(clause).matches()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the permission bits this mode gives a regular file whose bits are {@code current}, as
   * {@code chmod} computes them (the symbolic form: {@code X} adds execute only where some execute
   * bit is set; an omitted "who" means {@code a}, without masking by the umask, as Ansible's {@code
   * _symbolic_mode_to_octal} does).
   *
   * @param current the file's mode bits now (0 to 07777)
   */
  public int apply(int current) {
    if (octal()) {
      return Integer.parseInt(text, 8);
    }
    int mode = current & 07777;
    for (String clause : text.split(",")) {
      int i = 0;
      int who = 0;
      while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
        who |= whoMask(clause.charAt(i++));
      }
      if (who == 0) {
        who = whoMask('a');
      }
      while (i < clause.length()) {
        char op = clause.charAt(i++);
        int perms = 0;
        int start = i;
        while (i < clause.length() && "+-=".indexOf(clause.charAt(i)) < 0) {
          i++;
        }
        String p = clause.substring(start, i);
        if (p.length() == 1 && "ugo".indexOf(p.charAt(0)) >= 0) {
          int shift = p.charAt(0) == 'u' ? 6 : p.charAt(0) == 'g' ? 3 : 0;
          int bits = (mode >> shift) & 7;
          perms = bits << 6 | bits << 3 | bits;
        } else {
          for (char c : p.toCharArray()) {
            perms |=
                switch (c) {
                  case 'r' -> 0444;
                  case 'w' -> 0222;
                  case 'x' -> 0111;
                  case 'X' -> (mode & 0111) != 0 ? 0111 : 0;
                  case 's' -> 06000;
                  default -> 01000; // 't'
                };
          }
        }
        int applied = perms & who;
        mode =
            switch (op) {
              case '+' -> mode | applied;
              case '-' -> mode & ~applied;
              default -> (mode & ~who) | applied;
            };
      }
    }
    return mode;
  }

  private static int whoMask(char who) {
    return switch (who) {
      case 'u' -> 04700;
      case 'g' -> 02070;
      case 'o' -> 01007;
      default -> 07777;
    };
  }

  /** Returns four octal digits, as Ansible's registered {@code mode} ({@code "0644"}). */
  public static String format(int bits) {
    return String.format("%04o", bits & 07777);
  }
}
