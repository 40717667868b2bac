package dev.orchestrator.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Which names are secret is decided by code written out for speed (issue 23); the rule as it was
 * first written, a regular expression, is the oracle it must agree with on any name.
 */
class SecretsProperties {
  /** The rule as the README states it, as the regular expression it was until issue 23. */
  private static final Pattern ORACLE =
      Pattern.compile(
          "(?i).*(password|passphrase|token|secret|passwd|credential|api_?key|private_key(?!_file)"
              + "|_pass$|^pass$|_pwd$|^pwd$|^vault_).*");

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "password",
            "PassWord",
            "passphrase",
            "token",
            "TOKEN",
            "secret",
            "private_key",
            "PRIVATE_KEY",
            "_file",
            "_FILE",
            "_pass",
            "_PASS",
            "pass",
            "Pass",
            "_",
            "db",
            "x",
            "ſ",
            "K",
            "İ",
            "\n",
            "ansible_ssh");
    // names without line terminators: the expression's . and $ treat them apart (it called
    // "\nx_password" not secret); the code calls a secret word secret wherever it stands
    return Arbitraries.oneOf(
            pieces.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("", l)),
            Arbitraries.strings().all().ofMaxLength(30))
        .filter(n -> n.chars().noneMatch(c -> "\n\r\u0085\u2028\u2029".indexOf(c) >= 0));
  }

  @Property(tries = 2000)
  void agreesWithTheRegularExpression(@ForAll("names") String name) {
    assertEquals(ORACLE.matcher(name).matches(), Secrets.isSecretName(name), name);
  }

  @Example
  void aSecretWordAfterALineBreakIsStillSecret() {
    assertTrue(Secrets.isSecretName("\nx_password"));
    assertTrue(Secrets.isSecretName("x\ny_pass"));
  }

  @Example
  void theReadmesExamples() {
    for (String secret :
        new String[] {
          "db_password",
          "API_TOKEN",
          "ansible_ssh_pass",
          "ansible_become_pass",
          "pass",
          "ssh_private_key",
          "private_key_file_private_key",
          "my_Secret_value"
        }) {
      assertTrue(Secrets.isSecretName(secret), secret);
    }
    for (String plain :
        new String[] {"private_key_file", "passenger", "bypass_cache", "user", "pass_through"}) {
      assertFalse(Secrets.isSecretName(plain), plain);
    }
  }

  @Example
  void ansiblesVaultConventionAndCommonCredentialNamesAreSecret() {
    // given names the outside security test found stored in clear (run.json extraVars)
    for (String secret :
        new String[] {
          "vault_db_host", "api_key", "stripe_apikey", "db_passwd", "credentials", "pwd", "db_pwd"
        }) {
      // then they are secrets
      assertTrue(Secrets.isSecretName(secret), secret);
    }
    for (String plain : new String[] {"keyvault_url", "pwd_dir", "api_url", "monkey", "cwd"}) {
      // and these are not
      assertFalse(Secrets.isSecretName(plain), plain);
    }
  }
}
