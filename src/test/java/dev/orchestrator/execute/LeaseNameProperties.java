package dev.orchestrator.execute;

import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** Any inventory host name gives one lease file, inside the lease folder, distinct per name. */
class LeaseNameProperties {
  private static final Path FOLDER = Path.of("/home/u/.orchestrator/leases");

  @Property(tries = 2000)
  void aHostNameNeverLeavesTheLeaseFolder(@ForAll @StringLength(min = 1, max = 80) String name) {
    String path = HostLease.path(name, Map.of());
    String file = path.substring(HostLease.FOLDER.length() + 1);
    assert path.startsWith(HostLease.FOLDER + "/") : path;
    assert file.matches("[A-Za-z0-9_%~-][A-Za-z0-9._%~-]*") : file;
    assert !file.contains("/") && !file.startsWith(".") : file;
    Path resolved = FOLDER.resolve(file).normalize();
    assert resolved.getParent().equals(FOLDER) : resolved;
  }

  @Property(tries = 2000)
  void distinctNamesGetDistinctFiles(
      @ForAll @StringLength(min = 1, max = 40) String a,
      @ForAll @StringLength(min = 1, max = 40) String b) {
    Assume.that(!a.equals(b));
    assert !HostLease.encode(a).equals(HostLease.encode(b)) : a + " / " + b;
  }

  @Property(tries = 200)
  void aVeryLongNameStaysAShortDistinctFileName(
      @ForAll @StringLength(min = 161, max = 400) String name) {
    String file = HostLease.encode(name);
    assert file.length() <= dev.orchestrator.common.FileNames.MAX_LENGTH : file.length();
    assert !HostLease.encode(name + "x").equals(file);
  }
}
