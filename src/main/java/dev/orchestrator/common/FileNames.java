package dev.orchestrator.common;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The one way a name (host, step id, run id, group) becomes a file name: every name that reaches a
 * path on the controller or on a host goes through {@link #segment}, so that no name can escape the
 * folder it is put in.
 *
 * <p>The encoding is percent-encoding of the name's UTF-8 bytes, keeping only {@code A-Z a-z 0-9 .
 * _ -} as they are: ordinary names ({@code prod-2}, {@code web01.example.com}, {@code upgrade})
 * stay readable, and a {@code /}, a NUL, a space or a {@code %} can never appear unencoded. A
 * leading {@code .} is encoded too ({@code %2E}), so a segment is never {@code .}, {@code ..} or a
 * hidden file. Unpaired UTF-16 surrogates are encoded as their 3-byte generalized UTF-8 form, so
 * the encoding is injective on every Java string. An encoding longer than {@link #MAX_LENGTH}
 * characters (a segment must fit the file systems' 255-byte limit with the suffixes the callers
 * add, e.g. {@code .12.log}) is shortened to its first characters, {@code ~} and the SHA-256 of the
 * name: {@code ~} never appears in a short encoding, so long and short forms cannot collide, and
 * long forms differ whenever the names differ (barring a SHA-256 collision). Short forms decode
 * back with {@link #name}.
 */
public final class FileNames {
  /** The longest segment {@link #segment} returns, in characters (all ASCII). */
  public static final int MAX_LENGTH = 200;

  private static final int HASH_HEX = 64;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FileNames() {}

  /**
   * Encodes a name into one safe path segment.
   *
   * @param name a host name, step id, run id or group name; not empty
   * @return a non-empty segment of at most {@link #MAX_LENGTH} ASCII characters from {@code A-Z a-z
   *     0-9 . _ - %} (and {@code ~} for shortened long names), never starting with {@code .}
   * @throws IllegalArgumentException if the name is empty (names are validated non-empty where they
   *     are read)
   */
  public static String segment(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("an empty name cannot be a file name");
    }
    byte[] bytes = bytes(name);
    StringBuilder out = new StringBuilder(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (isSafe(b) && !(i == 0 && b == '.')) {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    if (out.length() <= MAX_LENGTH) {
      return out.toString();
    }
    int keep = MAX_LENGTH - 1 - HASH_HEX;
    // never cut an escape in half
    while (keep > 0 && (out.charAt(keep - 1) == '%' || keep > 1 && out.charAt(keep - 2) == '%')) {
      keep--;
    }
    return out.substring(0, keep) + "~" + sha256(bytes);
  }

  /**
   * Decodes a segment made by {@link #segment} back into the name.
   *
   * @param segment the segment
   * @return the name
   * @throws IllegalArgumentException if the segment is not a short-form encoding (e.g. it was
   *     shortened with a hash, or was not made by {@link #segment})
   */
  public static String name(String segment) {
    if (segment.isEmpty() || segment.indexOf('~') >= 0) {
      throw new IllegalArgumentException("'" + segment + "' is not a reversible file name");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' && i + 2 < segment.length()) {
        bytes.write(HexFormat.fromHexDigits(segment, i + 1, i + 3));
        i += 2;
      } else if (c < 0x80 && isSafe(c)) {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException("'" + segment + "' is not an encoded file name");
      }
    }
    return decode(bytes.toByteArray());
  }

  private static boolean isSafe(int b) {
    return b >= 'A' && b <= 'Z'
        || b >= 'a' && b <= 'z'
        || b >= '0' && b <= '9'
        || b == '.'
        || b == '_'
        || b == '-';
  }

  /** Generalized UTF-8: every code point, an unpaired surrogate included, as 1 to 4 bytes. */
  private static byte[] bytes(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 8);
    name.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x80) {
                out.write(cp);
              } else if (cp < 0x800) {
                out.write(0xc0 | cp >> 6);
                out.write(0x80 | cp & 0x3f);
              } else if (cp < 0x10000) {
                out.write(0xe0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3f);
                out.write(0x80 | cp & 0x3f);
              } else {
                out.write(0xf0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3f);
                out.write(0x80 | cp >> 6 & 0x3f);
                out.write(0x80 | cp & 0x3f);
              }
            });
    return out.toByteArray();
  }

  private static String decode(byte[] b) {
    StringBuilder out = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff;
      int n = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
      if (n < 0 || i + n >= b.length) {
        throw new IllegalArgumentException("not an encoded file name (bad byte sequence)");
      }
      int cp = n == 0 ? c : c & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cont = b[i + k] & 0xff;
        if ((cont & 0xc0) != 0x80) {
          throw new IllegalArgumentException("not an encoded file name (bad byte sequence)");
        }
        cp = cp << 6 | cont & 0x3f;
      }
      out.appendCodePoint(cp);
      i += n + 1;
    }
    return out.toString();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
