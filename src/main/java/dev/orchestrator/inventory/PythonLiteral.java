package dev.orchestrator.inventory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Evaluates a Python literal as Python 3.11's {@code ast.literal_eval} does, which Ansible's INI
 * inventory plugin applies to every value ({@code _parse_value} in {@code
 * lib/ansible/plugins/inventory/ini.py}): strings (prefixes {@code r}, {@code u}, {@code b},
 * escapes, triple quotes, adjacent strings joined), integers ({@code 42}, {@code 0x1F}, {@code
 * 0o17}, {@code 0b101}, {@code 1_000}; not {@code 08}), floats ({@code 1.5}, {@code 1e3}, {@code
 * .5}), a sign before a number, {@code True}, {@code False}, {@code None}, lists, tuples (with or
 * without parentheses: {@code 1, 2}) and dicts, nested; white space and a {@code #} comment may
 * follow.
 *
 * <p>The result is what {@code ansible-inventory --list} shows as JSON: a {@code String}, a {@code
 * Long} (a {@code BigInteger} beyond it), a {@code Double}, a {@code Boolean}, {@code null}, a
 * {@code List} (a tuple too) or a {@code Map} with string keys (Python's {@code json} turns keys
 * {@code 1}, {@code True}, {@code None} into {@code "1"}, {@code "true"}, {@code "null"}).
 *
 * <p>Checked against Ansible's own {@code _parse_value} on generated texts ({@code
 * IniValuesParityIT}). Not reproduced: Python's own stack limits (thousands of signs or terms in a
 * row, which make Python fail rather than keep the text).
 *
 * <p>Why one class of over 400 lines: it is one grammar, Python's literal syntax as {@code
 * ast.literal_eval} accepts it (numbers, strings with their prefixes and escapes, containers,
 * signs), plus its conversion to the JSON that {@code ansible-inventory} prints; the pieces share
 * the parser's position and nesting, and are read against Python's grammar top to bottom.
 */
final class PythonLiteral {
  private PythonLiteral() {}

  /** The text is not a Python literal: Ansible keeps it as text. */
  static final class NotALiteral extends Exception {
    private static final long serialVersionUID = 1L;

    NotALiteral() {
      super(null, null, false, false);
    }
  }

  /**
   * The text is a Python literal that has no JSON form (a set, a complex number, {@code ...}, an
   * infinite float, a dict key that is not a string, number, boolean or {@code None}), or one
   * Python cannot build (an unhashable dict key): Ansible either fails to parse the inventory or
   * fails to show it.
   */
  static final class Unrepresentable extends Exception {
    private static final long serialVersionUID = 1L;

    Unrepresentable(String what) {
      super(what);
    }
  }

  /** Python's tokenizer refuses more nested brackets ("too many nested parentheses"). */
  private static final int MAX_NESTING = 200;

  /**
   * Python refuses decimal integer literals of more digits, and to write an integer as more ({@code
   * sys.get_int_max_str_digits()}, Python 3.11).
   */
  private static final int MAX_INT_DIGITS = 4300;

  private static final Pattern STRING_PREFIX = Pattern.compile("(?i)(?:r|u|b|f|br|rb|fr|rf)?");

  /**
   * Evaluates a literal.
   *
   * @param text the value's text
   * @return its value (see the class comment for the types)
   * @throws NotALiteral when Python's {@code ast.literal_eval} raises {@code ValueError} or {@code
   *     SyntaxError} (Ansible then keeps the text)
   * @throws Unrepresentable when it is a literal without a JSON form, naming what it is
   */
  static Object eval(String text) throws NotALiteral, Unrepresentable {
    Parser p = new Parser(stripLeading(text));
    Object v = p.expressionList();
    p.skipSpace();
    if (p.pos < p.s.length()) {
      throw new NotALiteral();
    }
    return toJson(v);
  }

  /** {@code literal_eval} strips leading spaces and tabs. */
  private static String stripLeading(String text) {
    int i = 0;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return text.substring(i);
  }

  // Parsed values before conversion: Python types that need care.
  private record Tuple(List<Object> items) {}

  private record PySet() {}

  private record Complex() {}

  private record Ellipsis() {}

  /** A bytes literal (ASCII source, escapes resolved to bytes). */
  private record Bytes(byte[] data) {}

  /** A parenthesised expression, so that {@code -(1)} is a signed number but not {@code --1}. */
  private record Signed(boolean negative, Object number) {}

  /** A sum such as {@code 1+2j}: a literal only when it yields a complex number. */
  private record Sum(Object left, Object right) {}

  private static final class Parser {
    final String s;
    int pos;
    int depth;

    Parser(String s) {
      this.s = s;
    }

    void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\f') {
          pos++;
        } else if (c == '#') {
          while (pos < s.length() && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
            pos++;
          }
        } else if ((c == '\n' || c == '\r') && depth > 0) {
          pos++; // implicit line joining inside brackets
        } else if (c == '\\'
            && pos + 1 < s.length()
            && (s.charAt(pos + 1) == '\n' || s.charAt(pos + 1) == '\r')) {
          pos += 2;
        } else if ((c == '\n' || c == '\r') && s.substring(pos).isBlank()) {
          pos = s.length(); // trailing NEWLINE tokens
        } else {
          return;
        }
      }
    }

    boolean peek(char c) {
      skipSpace();
      return pos < s.length() && s.charAt(pos) == c;
    }

    boolean accept(char c) {
      if (peek(c)) {
        pos++;
        return true;
      }
      return false;
    }

    void expect(char c) throws NotALiteral {
      if (!accept(c)) {
        throw new NotALiteral();
      }
    }

    void open() throws NotALiteral {
      if (++depth > MAX_NESTING) {
        throw new NotALiteral();
      }
    }

    /** {@code expr (, expr)* [,]}: a tuple when there is a comma. */
    Object expressionList() throws NotALiteral, Unrepresentable {
      Object first = expression();
      if (!peek(',')) {
        return first;
      }
      List<Object> items = new ArrayList<>();
      items.add(wrap(first));
      while (accept(',')) {
        if (atEndOfList()) {
          break;
        }
        items.add(wrap(expression()));
      }
      return new Tuple(items);
    }

    private boolean atEndOfList() {
      skipSpace();
      return pos >= s.length() || ")]}".indexOf(s.charAt(pos)) >= 0;
    }

    /** A term, or a sum or difference of terms (a literal only as {@code real+imag}). */
    Object expression() throws NotALiteral, Unrepresentable {
      Object left = term();
      while (peek('+') || peek('-')) {
        pos++;
        left = new Sum(left, term());
      }
      return left;
    }

    Object term() throws NotALiteral, Unrepresentable {
      if (peek('-') || peek('+')) {
        boolean negative = s.charAt(pos++) == '-';
        if (peek('-') || peek('+')) {
          throw new NotALiteral(); // a sign applies to a number only, not to a signed one
        }
        return new Signed(negative, atom());
      }
      return atom();
    }

    Object atom() throws NotALiteral, Unrepresentable {
      skipSpace();
      if (pos >= s.length()) {
        throw new NotALiteral();
      }
      char c = s.charAt(pos);
      if (c == '(') {
        pos++;
        open();
        if (accept(')')) {
          depth--;
          return new Tuple(List.of());
        }
        Object inner = expressionList();
        expect(')');
        depth--;
        return inner;
      }
      if (c == '[') {
        pos++;
        open();
        List<Object> items = new ArrayList<>();
        while (!accept(']')) {
          items.add(wrap(expression()));
          if (!accept(',')) {
            expect(']');
            break;
          }
        }
        depth--;
        return items;
      }
      if (c == '{') {
        pos++;
        open();
        Object v = braces();
        depth--;
        return v;
      }
      if (c == '.' && s.startsWith("...", pos)) {
        pos += 3;
        return new Ellipsis();
      }
      if ((c >= '0' && c <= '9') || c == '.') {
        return number();
      }
      if (c == '\'' || c == '"') {
        return strings();
      }
      if (Character.isUnicodeIdentifierStart(c) || c == '_') {
        int start = pos;
        while (pos < s.length()
            && (Character.isUnicodeIdentifierPart(s.charAt(pos)) || s.charAt(pos) == '_')
            && !Character.isIdentifierIgnorable(s.charAt(pos))) {
          pos++;
        }
        String name = s.substring(start, pos);
        if (pos < s.length()
            && (s.charAt(pos) == '\'' || s.charAt(pos) == '"')
            && STRING_PREFIX.matcher(name).matches()) {
          pos = start;
          return strings();
        }
        switch (name) {
          case "True":
            return Boolean.TRUE;
          case "False":
            return Boolean.FALSE;
          case "None":
            return null;
          case "set":
            expect('(');
            expect(')');
            return new PySet();
          default:
            throw new NotALiteral();
        }
      }
      throw new NotALiteral();
    }

    /** {@code {}}, a dict or a set. */
    Object braces() throws NotALiteral, Unrepresentable {
      if (accept('}')) {
        return new LinkedHashMap<Object, Object>();
      }
      Object first = expression();
      if (accept(':')) {
        List<Object[]> entries = new ArrayList<>();
        entries.add(new Object[] {first, wrap(expression())});
        while (accept(',')) {
          if (accept('}')) {
            return dict(entries);
          }
          Object k = expression();
          expect(':');
          entries.add(new Object[] {k, wrap(expression())});
        }
        expect('}');
        return dict(entries);
      }
      wrap(first);
      while (accept(',')) {
        if (peek('}')) {
          break;
        }
        wrap(expression());
      }
      expect('}');
      return new PySet();
    }

    private Object dict(List<Object[]> entries) throws NotALiteral, Unrepresentable {
      Map<Object, Object> m = new LinkedHashMap<>();
      for (Object[] e : entries) {
        Object key = wrap(e[0]);
        m.put(new Key(key), e[1]);
      }
      return m;
    }

    /**
     * A number token: {@code 0x}/{@code 0o}/{@code 0b} integers, decimal integers (no leading zeros
     * but {@code 0}), floats, imaginary numbers; {@code _} between digits. Scanned by hand: a
     * regular expression over thousands of digits would overflow the stack.
     */
    Object number() throws NotALiteral {
      int start = pos;
      int radix = 10;
      if (s.charAt(pos) == '0' && pos + 1 < s.length()) {
        char r = Character.toLowerCase(s.charAt(pos + 1));
        radix = r == 'x' ? 16 : r == 'o' ? 8 : r == 'b' ? 2 : 10;
      }
      boolean isFloat = false;
      boolean imaginary = false;
      if (radix != 10) {
        int end = digits(pos + 2, radix, true);
        if (end < 0) {
          throw new NotALiteral();
        }
        pos = end;
      } else {
        int end = digits(pos, 10, false);
        if (end >= 0) {
          pos = end;
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
          int frac = digits(pos + 1, 10, false);
          if (end < 0 && frac < 0) {
            throw new NotALiteral();
          }
          isFloat = true;
          pos = frac < 0 ? pos + 1 : frac;
        } else if (end < 0) {
          throw new NotALiteral();
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
          int at = pos + 1;
          if (at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
            at++;
          }
          int exp = digits(at, 10, false);
          if (exp >= 0) {
            isFloat = true;
            pos = exp;
          }
        }
        if (pos < s.length() && (s.charAt(pos) == 'j' || s.charAt(pos) == 'J')) {
          imaginary = true;
          pos++;
        }
      }
      if (pos < s.length()
          && (Character.isUnicodeIdentifierPart(s.charAt(pos)) || s.charAt(pos) == '.')) {
        throw new NotALiteral(); // "invalid decimal literal", "leading zeros", "1.2.3"
      }
      if (imaginary) {
        return new Complex();
      }
      String t = s.substring(start, pos).replace("_", "");
      if (isFloat) {
        return Double.parseDouble(t);
      }
      if (radix != 10) {
        return new BigInteger(t.substring(2), radix);
      }
      if (t.length() > 1 && t.charAt(0) == '0' && !t.matches("0+")) {
        throw new NotALiteral(); // "leading zeros in decimal integer literals are not permitted"
      }
      if (t.length() > MAX_INT_DIGITS) {
        throw new NotALiteral();
      }
      return new BigInteger(t);
    }

    /**
     * The end of the digits from {@code at} ({@code _} allowed between them, and before the first
     * after a radix prefix), or -1 when there is none.
     */
    private int digits(int at, int radix, boolean leadingUnderscore) {
      int i = at;
      if (leadingUnderscore && i < s.length() && s.charAt(i) == '_') {
        i++;
      }
      if (i >= s.length() || Character.digit(s.charAt(i), radix) < 0) {
        return -1;
      }
      while (i < s.length()) {
        if (Character.digit(s.charAt(i), radix) >= 0 && s.charAt(i) < 0x80) {
          i++;
        } else if (s.charAt(i) == '_'
            && i + 1 < s.length()
            && Character.digit(s.charAt(i + 1), radix) >= 0
            && s.charAt(i + 1) < 0x80) {
          i += 2;
        } else {
          break;
        }
      }
      return i;
    }

    /** One or more adjacent string literals, joined. */
    Object strings() throws NotALiteral {
      StringBuilder text = new StringBuilder();
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      Boolean isBytes = null;
      do {
        int start = pos;
        while (Character.isLetter(s.charAt(pos))) {
          pos++;
        }
        String prefix = s.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
        if (prefix.contains("f")) {
          throw new NotALiteral(); // an f-string is a JoinedStr, not a constant
        }
        boolean b = prefix.contains("b");
        boolean raw = prefix.contains("r");
        if (isBytes != null && isBytes != b) {
          throw new NotALiteral(); // "cannot mix bytes and nonbytes literals"
        }
        isBytes = b;
        String body = body();
        if (b) {
          for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) > 0x7f) {
              throw new NotALiteral(); // "bytes can only contain ASCII literal characters"
            }
          }
          String decoded = raw ? body : unescape(body, true);
          for (int i = 0; i < decoded.length(); i++) {
            bytes.write(decoded.charAt(i));
          }
        } else {
          text.append(raw ? body : unescape(body, false));
        }
        skipSpace();
      } while (pos < s.length() && startsString());
      return isBytes ? new Bytes(bytes.toByteArray()) : text.toString();
    }

    private boolean startsString() {
      int i = pos;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      return i < s.length()
          && (s.charAt(i) == '\'' || s.charAt(i) == '"')
          && STRING_PREFIX.matcher(s.substring(pos, i)).matches();
    }

    /** The raw text between the quotes, the position after the closing quote. */
    private String body() throws NotALiteral {
      char q = s.charAt(pos);
      boolean triple = s.startsWith(String.valueOf(q).repeat(3), pos);
      String close = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
      int i = pos + close.length();
      int start = i;
      while (true) {
        if (i >= s.length()) {
          throw new NotALiteral(); // unterminated string literal
        }
        char c = s.charAt(i);
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (!triple && (c == '\n' || c == '\r')) {
          throw new NotALiteral();
        }
        if (s.startsWith(close, i)) {
          pos = i + close.length();
          return s.substring(start, i);
        }
        i++;
      }
    }
  }

  /** Resolves Python's escapes in a (non-raw) string or bytes literal. */
  private static String unescape(String body, boolean bytes) throws NotALiteral {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c != '\\' || i + 1 >= body.length()) {
        out.append(c);
        i++;
        continue;
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case '\n' -> {}
        case '\\', '\'', '"' -> out.append(e);
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'v' -> out.append('\u000b');
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          int end = i - 1;
          while (end < body.length()
              && end < i + 2
              && body.charAt(end) >= '0'
              && body.charAt(end) <= '7') {
            end++;
          }
          int v = Integer.parseInt(body.substring(i - 1, end), 8);
          if (bytes && v > 0xff) {
            throw new NotALiteral();
          }
          out.appendCodePoint(v);
          i = end;
        }
        case 'x' -> {
          out.appendCodePoint(hex(body, i, 2));
          i += 2;
        }
        case 'u', 'U', 'N' -> {
          if (bytes) {
            out.append('\\').append(e); // not escapes in bytes
          } else if (e == 'N') {
            int end = body.indexOf('}', i);
            if (end < 0 || body.charAt(i) != '{') {
              throw new NotALiteral();
            }
            try {
              out.appendCodePoint(Character.codePointOf(body.substring(i + 1, end)));
            } catch (IllegalArgumentException x) {
              throw new NotALiteral();
            }
            i = end + 1;
          } else {
            int len = e == 'u' ? 4 : 8;
            int cp = hex(body, i, len);
            if (cp > Character.MAX_CODE_POINT) {
              throw new NotALiteral();
            }
            out.appendCodePoint(cp);
            i += len;
          }
        }
        default -> out.append('\\').append(e); // an unknown escape keeps its backslash
      }
    }
    return out.toString();
  }

  private static int hex(String body, int at, int len) throws NotALiteral {
    if (at + len > body.length() || !body.substring(at, at + len).matches("[0-9a-fA-F]+")) {
      throw new NotALiteral(); // "truncated \xXX escape"
    }
    return (int) Long.parseLong(body.substring(at, at + len), 16);
  }

  /** A dict key, equal to another as Python's keys are ({@code 1 == 1.0 == True}). */
  private record Key(Object value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && identity(value).equals(identity(k.value));
    }

    @Override
    public int hashCode() {
      return identity(value).hashCode();
    }

    private static Object identity(Object v) {
      if (v instanceof Boolean b) {
        return BigDecimal.valueOf(b ? 1 : 0);
      }
      if (v instanceof BigInteger i) {
        return new BigDecimal(i);
      }
      if (v instanceof Double d && Double.isFinite(d)) {
        return new BigDecimal(d).stripTrailingZeros();
      }
      if (v instanceof BigDecimal d) {
        return d.stripTrailingZeros();
      }
      return v == null ? Key.class : v;
    }
  }

  /**
   * Applies literal_eval's rules for signs and sums: a sign only before a number ({@code -(1)} but
   * not {@code --1} or {@code -True}), a sum only of a real and an imaginary number ({@code 1+2j}).
   */
  private static Object wrap(Object v) throws NotALiteral {
    if (v instanceof Signed sg) {
      Object n = sg.number();
      if (n instanceof BigInteger i) {
        return sg.negative() ? i.negate() : i;
      }
      if (n instanceof Double d) {
        return sg.negative() ? -d : d;
      }
      if (n instanceof Complex) {
        return n;
      }
      throw new NotALiteral();
    }
    if (v instanceof Sum sum) {
      Object left = sum.left() instanceof Signed sg ? sg.number() : sum.left();
      if ((left instanceof BigInteger || left instanceof Double)
          && sum.right() instanceof Complex) {
        return new Complex();
      }
      throw new NotALiteral();
    }
    return v;
  }

  /**
   * The JSON value Ansible shows: top-level bytes are decoded ({@code to_text}), nested are not.
   */
  private static Object toJson(Object v) throws NotALiteral, Unrepresentable {
    Object w = wrap(v);
    return w instanceof Bytes b ? surrogateEscaped(b.data()) : convert(w);
  }

  private static Object convert(Object v) throws NotALiteral, Unrepresentable {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof BigInteger i) {
      if (i.bitLength() > 14_000 && i.abs().toString().length() > MAX_INT_DIGITS) {
        throw new Unrepresentable("an integer of more than " + MAX_INT_DIGITS + " digits");
      }
      return i.bitLength() < 64 ? (Object) i.longValueExact() : i;
    }
    if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw new Unrepresentable("an infinite float");
      }
      return d;
    }
    if (v instanceof Tuple t) {
      return convertList(t.items());
    }
    if (v instanceof List<?> l) {
      return convertList(l);
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object k = ((Key) e.getKey()).value();
        out.put(jsonKey(k), convert(e.getValue()));
      }
      return out;
    }
    if (v instanceof Bytes) {
      throw new Unrepresentable("bytes inside a list or dict");
    }
    if (v instanceof PySet) {
      throw new Unrepresentable("a set");
    }
    if (v instanceof Complex) {
      throw new Unrepresentable("a complex number");
    }
    if (v instanceof Ellipsis) {
      throw new Unrepresentable("the Ellipsis '...'");
    }
    throw new NotALiteral();
  }

  /**
   * Decodes UTF-8 as Ansible's {@code to_text(errors='surrogate_or_strict')} does: a byte that is
   * not part of a valid sequence becomes the lone surrogate U+DC00 plus the byte (Python's {@code
   * surrogateescape}).
   */
  private static String surrogateEscaped(byte[] data) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(data);
    CharBuffer out = CharBuffer.allocate(data.length * 2 + 1);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isError()) {
        for (int i = 0; i < r.length(); i++) {
          out.put((char) (0xDC00 + (in.get() & 0xff)));
        }
      } else {
        decoder.flush(out);
        break;
      }
    }
    out.flip();
    return out.toString();
  }

  private static List<Object> convertList(List<?> items) throws NotALiteral, Unrepresentable {
    List<Object> out = new ArrayList<>();
    for (Object o : items) {
      out.add(convert(o));
    }
    return out;
  }

  /** Python's {@code json.dumps} key: str as is, numbers and constants as JSON text. */
  private static String jsonKey(Object k) throws NotALiteral, Unrepresentable {
    if (k instanceof String str) {
      return str;
    }
    if (k == null) {
      return "null";
    }
    if (k instanceof Boolean b) {
      return b.toString();
    }
    Object c = convert(k);
    if (c instanceof Long || c instanceof BigInteger) {
      return c.toString();
    }
    if (c instanceof Double d) {
      return pythonRepr(d);
    }
    throw new Unrepresentable("a dict key that is a list, tuple or dict");
  }

  /** Python's {@code repr} of a float: the shortest digits, {@code 1e+16} beyond 1e16. */
  static String pythonRepr(double d) {
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e16) {
      return new BigDecimal(d).toPlainString() + ".0";
    }
    BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exp = b.precision() - b.scale() - 1;
    if (exp < -4 || exp >= 16) {
      String digits = b.unscaledValue().abs().toString();
      String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (d < 0 ? "-" : "")
          + mant
          + "e"
          + (exp < 0 ? "-" : "+")
          + String.format("%02d", Math.abs(exp));
    }
    return b.toPlainString();
  }
}
