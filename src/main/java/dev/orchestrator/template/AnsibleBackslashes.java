package dev.orchestrator.template;

/**
 * Backslashes in a {@code {{ }}} expression's string literals are text, as in Ansible: its Templar
 * doubles them before Jinja2 reads the template ({@code _escape_backslashes} in ansible-core 2.14
 * {@code lib/ansible/template/__init__.py}), because YAML has already read the escapes. So {@code
 * {{ s | regex_replace('\s+', ' ') }}} passes {@code \s+} to the filter (Jinjava refused {@code \s}
 * as an invalid escape) and {@code {{ 'a\nb' }}} is four characters. Differs in one point: {@code
 * \'} inside {@code '...'} (and {@code \"} inside {@code "..."}) stays an escaped quote, where
 * Ansible's doubling ends the string there.
 */
final class AnsibleBackslashes {
  private AnsibleBackslashes() {}

  /** Returns {@code template} with the backslashes in its expressions' literals doubled. */
  static String escape(String template) {
    if (template.indexOf('\\') < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    int n = template.length();
    while (i < n) {
      int open = template.indexOf("{{", i);
      if (open < 0) {
        out.append(template, i, n);
        break;
      }
      out.append(template, i, open + 2);
      i = open + 2;
      char quote = 0;
      while (i < n) {
        char c = template.charAt(i);
        if (quote == 0) {
          if (c == '}' && i + 1 < n && template.charAt(i + 1) == '}') {
            break;
          }
          if (c == '\'' || c == '"') {
            quote = c;
          }
          out.append(c);
          i++;
        } else if (c == '\\') {
          boolean escapedQuote = i + 1 < n && template.charAt(i + 1) == quote;
          out.append(escapedQuote ? "\\" + quote : "\\\\");
          i += escapedQuote ? 2 : 1;
        } else {
          if (c == quote) {
            quote = 0;
          }
          out.append(c);
          i++;
        }
      }
    }
    return out.toString();
  }
}
