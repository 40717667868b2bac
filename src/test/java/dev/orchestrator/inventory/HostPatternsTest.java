package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Host patterns expand as Ansible 2.14's {@code _expand_hostpattern} expands them (ranges and
 * ports); the expected values were checked with {@code ansible-inventory --list} (the corpus under
 * {@code inventories/ranges/} and {@code inventories/yaml/} is compared with it end to end).
 */
class HostPatternsTest {
  private static final SourceLocation AT = new SourceLocation(Path.of("hosts.ini"), 7, 1);

  private static List<String> hosts(String pattern) {
    return HostPatterns.expand(pattern, AT, w -> {}).hosts();
  }

  private static Optional<Long> port(String pattern) {
    return HostPatterns.expand(pattern, AT, w -> {}).port();
  }

  @Test
  void numericRangesKeepTheBeginsZeroPaddingAndTakeAStride() {
    assertEquals(List.of("web01", "web03", "web05"), hosts("web[01:05:2]"));
    assertEquals(List.of("web8", "web9", "web10"), hosts("web[8:10]"));
    assertEquals(List.of("n0", "n1", "n2"), hosts("n[:2]"), "an empty begin is 0");
    assertEquals(List.of("n00", "n01"), hosts("n[00:01]"));
  }

  @Test
  void alphabeticRangesRunThroughLowerThenUpperCaseLetters() {
    assertEquals(List.of("dba", "dbb", "dbc"), hosts("db[a:c]"));
    assertEquals(List.of("hx", "hy", "hz", "hA", "hB"), hosts("h[x:B]"));
    assertEquals(List.of("za", "zc", "ze"), hosts("z[a:e:2]"));
  }

  @Test
  void rangesMayStartTheNameAndSeveralMayFollowEachOther() {
    assertEquals(List.of("1.cdn.example.org", "2.cdn.example.org"), hosts("[1:2].cdn.example.org"));
    assertEquals(
        List.of("r1-na", "r1-nb", "r2-na", "r2-nb"),
        hosts("r[1:2]-n[a:b]"),
        "the first varies slowest");
    assertEquals(
        List.of("10.0.1.1", "10.0.1.2", "10.0.2.1", "10.0.2.2"), hosts("10.0.[1:2].[1:2]"));
  }

  @Test
  void aNegativeStepCountsDownAsPythonsRange() {
    assertEquals(List.of("node05", "node03"), hosts("node[05:01:-2]"));
  }

  @Test
  void anEmptyRangeGivesNoHostAndAWarningNamingTheLine() {
    List<InventoryWarning> warnings = new ArrayList<>();
    assertEquals(List.of(), HostPatterns.expand("web[5:1]", AT, warnings::add).hosts());
    assertEquals(1, warnings.size());
    assertTrue(
        warnings.get(0).toString().startsWith("hosts.ini:7:1: the host pattern 'web[5:1]' expands"),
        warnings.get(0).toString());
    assertTrue(warnings.get(0).message().contains("Ansible adds no host"));
  }

  @Test
  void aPortIsTakenOffValidAddressesOnly() {
    assertEquals(List.of("web1"), hosts("web1:2222"));
    assertEquals(Optional.of(2222L), port("web1:2222"));
    assertEquals(List.of("web1", "web2"), hosts("web[1:2]:2222"));
    assertEquals(Optional.of(2222L), port("web[1:2]:2222"));
    assertEquals(List.of("2001:db8::10"), hosts("[2001:db8::10]:2200"));
    assertEquals(Optional.of(2200L), port("[2001:db8::10]:2200"));
    assertEquals(List.of("fe80::1", "fe80::2"), hosts("[fe80::[1:2]]:2201"));
    // a bare IPv6 address has no port
    assertEquals(List.of("fe80::1"), hosts("fe80::1"));
    assertEquals(Optional.empty(), port("fe80::1"));
    // not a valid address once the port is off: the colon stays in the name (as in Ansible)
    assertEquals(List.of("web_:22"), hosts("web_:22"));
    assertEquals(Optional.empty(), port("web_:22"));
    assertEquals(List.of("w0:22", "w1:22"), hosts("w[:1]:22"));
  }

  @Test
  void ipv6AsAnsibleAcceptsIt() {
    assertTrue(HostPatterns.isIpv6("::"));
    assertTrue(HostPatterns.isIpv6("1:2:3:4:5:6:7:8"));
    assertTrue(HostPatterns.isIpv6("1:2:3:4:5:6::8"));
    assertTrue(HostPatterns.isIpv6("::ffff:192.0.2.3"));
    assertTrue(HostPatterns.isIpv6("2001:db8::[a:f]"));
    assertTrue(
        !HostPatterns.isIpv6("1:2:3:4:5:6:7::"), "Ansible's pattern has at most 6 before ::");
    assertTrue(!HostPatterns.isIpv6("1::2::3"));
    assertTrue(!HostPatterns.isIpv6("web1"));
  }

  @Test
  void invalidRangesAreErrorsNamingTheLineAndWhatAnsibleSays() {
    for (String[] c :
        new String[][] {
          {"web[1:]", "host range must specify end value"},
          {"web[01:5]", "host range must specify equal-length begin and end formats"},
          {"web[c:a]", "host range must have begin <= end"},
          {"web[1:2:3:4]", "host range must be begin:end or begin:end:step"},
          {"web[a:5]", "invalid literal for int() with base 10: 'a'"},
          {"web[1:3", "the brackets do not enclose a range"},
        }) {
      InputException e = assertThrows(InputException.class, () -> hosts(c[0]), c[0]);
      assertTrue(
          e.getMessage()
              .startsWith(
                  "hosts.ini:7:1: invalid host range in '"
                      + c[0]
                      + "': Ansible says \""
                      + c[1]
                      + "\" and skips this whole inventory file"),
          e.getMessage());
      assertTrue(e.hint().contains("web[01:20]"), e.hint());
    }
    InputException zero = assertThrows(InputException.class, () -> hosts("web[1:3:0]"));
    assertTrue(zero.getMessage().contains("invalid host range stride 0"), zero.getMessage());
  }

  /** Any numeric range expands to the numbers Python's range() gives, formatted as Ansible. */
  @Property
  void numericRangesMatchPythonsRange(
      @ForAll @IntRange(min = 0, max = 300) int begin,
      @ForAll @IntRange(min = 0, max = 300) int end,
      @ForAll @IntRange(min = 1, max = 7) int step,
      @ForAll boolean padded,
      @ForAll("labels") String head,
      @ForAll("labels") String tail) {
    String b = padded ? String.format("%03d", begin) : String.valueOf(begin);
    String e = padded ? String.format("%03d", end) : String.valueOf(end);
    List<String> expected =
        IntStream.iterate(begin, i -> i <= end, i -> i + step)
            .mapToObj(i -> head + (padded ? String.format("%03d", i) : String.valueOf(i)) + tail)
            .toList();
    List<String> got =
        HostPatterns.expand(head + "[" + b + ":" + e + ":" + step + "]" + tail, AT, w -> {})
            .hosts();
    assertEquals(expected, got);
  }

  /**
   * Hostile input: any text expands to hosts or is an input error naming the line, never another
   * exception, and never more than the limit of hosts.
   */
  @Property(tries = 2000)
  void anyTextExpandsOrIsAnInputError(@ForAll("patterns") String pattern) {
    try {
      HostPatterns.Expanded e = HostPatterns.expand(pattern, AT, w -> {});
      assertTrue(e.hosts().size() <= HostPatterns.MAX_HOSTS);
    } catch (InputException ex) {
      assertTrue(ex.getMessage().startsWith("hosts.ini:7:1: "), ex.getMessage());
    }
  }

  @Provide
  Arbitrary<String> labels() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars('-', '.').ofMaxLength(6);
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings()
        .withChars("[]:-_.0123456789abzAZ|+ ")
        .withCharRange('\u0000', '\u007f')
        .ofMaxLength(24);
  }
}
